import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes, RateLimiterUnion } from 'rate-limiter-flexible';
import { RedisLimiterStore } from '../../src/bot/limits/redis-store.js';

/** The same limits for both: per user, `perHour` an hour and `perDay` a day, both at once. */
export interface BenchLimits {
  perHour: number;
  perDay: number;
}

/** One limiter under test: decide for a user, true when allowed. */
export interface Contender {
  name: string;
  decide(user: string): Promise<boolean>;
  close(): Promise<void>;
}

/** teambot's limiter: one EVALSHA covering both windows, all or nothing. */
export function teambotContender(url: string, prefix: string, limits: BenchLimits): Contender {
  const store = new RedisLimiterStore({ url, prefix, commandTimeoutMs: 10_000 });
  return {
    name: 'teambot',
    async decide(user) {
      const decision = await store.decide({
        windows: [
          { key: `h:${user}`, limit: limits.perHour, periodMs: 3_600_000, cost: 1, consume: true },
          { key: `d:${user}`, limit: limits.perDay, periodMs: 86_400_000, cost: 1, consume: true },
        ],
      });
      return decision.allowed;
    },
    close: () => store.close(),
  };
}

/** rate-limiter-flexible: two RateLimiterRedis (its atomic Lua variant) in a RateLimiterUnion. */
export function flexibleContender(url: string, prefix: string, limits: BenchLimits): Contender {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const hour = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}h`,
    points: limits.perHour,
    duration: 3_600,
  });
  const day = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}d`,
    points: limits.perDay,
    duration: 86_400,
  });
  const union = new RateLimiterUnion(hour, day);
  return {
    name: 'rate-limiter-flexible',
    async decide(user) {
      try {
        await union.consume(user);
        return true;
      } catch (rejection) {
        // A limit reached rejects with {keyPrefix: RateLimiterRes}; anything else is a store error.
        if (rejection instanceof Error) throw rejection;
        const values = Object.values(rejection as Record<string, unknown>);
        if (values.length > 0 && values.every((v) => v instanceof RateLimiterRes)) return false;
        throw new Error(`unexpected rejection: ${String(rejection)}`);
      }
    },
    close: async () => {
      await redis.quit();
    },
  };
}
