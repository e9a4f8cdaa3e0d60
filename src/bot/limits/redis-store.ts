import type { Redis } from 'ioredis';
import { scrub } from '../../storage/kv/redis-url.js';
import { connectorOf, type RedisSource } from '../../storage/redis/connect.js';
import { errorMessage } from '../../util/error-message.js';
import { windowArgs } from './gcra.js';
import { CHARGE_SCRIPT, DECIDE_SCRIPT, PEEK_SCRIPT } from './lua.js';
import {
  type GcraCheck,
  type LimitDecision,
  type LimiterStore,
  LimiterUnavailableError,
  type LimitRequest,
} from './types.js';

/** `url` (REDIS_URL) or the app's `connector`; the connection is named `limits`. */
export type RedisLimiterStoreOptions = RedisSource & {
  /** Key prefix (KV_PREFIX), shared with the key-value store. */
  prefix: string;
  /** A decision waits at most this long for Redis before the fail mode applies (default 1000 ms). */
  commandTimeoutMs?: number;
};

type ScriptReply = Array<number | string>;

interface LimiterCommands {
  teambotLimitDecide(numKeys: number, ...args: string[]): Promise<ScriptReply>;
  teambotLimitCharge(numKeys: number, ...args: string[]): Promise<number>;
  teambotLimitPeek(numKeys: number, ...args: string[]): Promise<ScriptReply>;
}

/** The limiter on Redis: every decision is one EVALSHA (ioredis defineCommand), atomic across replicas. */
export class RedisLimiterStore implements LimiterStore {
  readonly kind = 'redis';
  readonly #redis: Redis & LimiterCommands;
  readonly #display: string;
  readonly #secrets: string[];
  #lastError: string | undefined;

  constructor(options: RedisLimiterStoreOptions) {
    const connector = connectorOf(options);
    this.#display = connector.target.display;
    this.#secrets = connector.target.secrets;
    const redis = connector.open('limits', {
      keyPrefix: options.prefix,
      maxRetriesPerRequest: 1,
      connectTimeoutMs: 2_000,
      commandTimeoutMs: options.commandTimeoutMs ?? 1_000,
      reconnectDelayMs: (times) => Math.min(times * 200, 2_000),
    });
    redis.on('error', (error: Error) => {
      this.#lastError = error.message;
    });
    redis.on('ready', () => {
      this.#lastError = undefined;
    });
    redis.defineCommand('teambotLimitDecide', { lua: DECIDE_SCRIPT });
    redis.defineCommand('teambotLimitCharge', { lua: CHARGE_SCRIPT });
    redis.defineCommand('teambotLimitPeek', { lua: PEEK_SCRIPT });
    this.#redis = redis as Redis & LimiterCommands;
  }

  async decide(request: LimitRequest): Promise<LimitDecision> {
    const keys = request.windows.map((w) => w.key);
    const args = [String(request.now ?? 0), String(request.windows.length), ...windowArgs(request.windows)];
    const lease = request.lease;
    if (lease !== undefined) {
      keys.push(lease.key);
      args.push(String(lease.max), lease.id, String(lease.ttlMs));
    }
    const reply = await this.#run(() => this.#redis.teambotLimitDecide(keys.length, ...keys, ...args));
    const [allowed, retry, deniedBy, remaining] = reply.map(Number);
    if (allowed === 1) {
      return {
        allowed: true,
        retryAfterMs: 0,
        remaining: remaining === undefined || remaining < 0 ? Number.POSITIVE_INFINITY : remaining,
      };
    }
    return { allowed: false, retryAfterMs: retry ?? 0, deniedBy: deniedBy ?? 0, remaining: 0 };
  }

  async charge(checks: GcraCheck[], now?: number): Promise<void> {
    if (checks.length === 0) return;
    const args = [String(now ?? 0), String(checks.length), ...windowArgs(checks)];
    await this.#run(() =>
      this.#redis.teambotLimitCharge(checks.length, ...checks.map((c) => c.key), ...args),
    );
  }

  async release(lease: { key: string; id: string }): Promise<void> {
    await this.#run(() => this.#redis.zrem(lease.key, lease.id));
  }

  async peek(checks: GcraCheck[], now?: number): Promise<number[]> {
    if (checks.length === 0) return [];
    const args = [String(now ?? 0), String(checks.length), ...windowArgs(checks)];
    const reply = await this.#run(() =>
      this.#redis.teambotLimitPeek(checks.length, ...checks.map((c) => c.key), ...args),
    );
    return reply.map(Number);
  }

  async close(): Promise<void> {
    if (this.#redis.status !== 'ready') {
      this.#redis.disconnect();
      return;
    }
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  async #run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const message = errorMessage(error);
      if (error instanceof Error && error.name === 'ReplyError') throw error;
      const reason = this.#lastError ?? message;
      throw new LimiterUnavailableError(
        scrub(`rate limiter: Redis at ${this.#display} is unreachable: ${reason}`, this.#secrets),
        { cause: error },
      );
    }
  }
}
