import { describe, expect, it } from 'vitest';
import { redisConnectorFrom } from '../../src/app/redis.js';
import { RedisLimiterStore } from '../../src/bot/limits/redis-store.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { createHttpLimits } from '../../src/server/rate-limits.js';
import { createKeyValueStore } from '../../src/storage/kv/factory.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { redisUrlForTests, usePrefixes } from '../helpers/redis.js';

const url = redisUrlForTests();
const nextPrefix = usePrefixes(url);

describe('the app’s Redis connections', () => {
  it('are none without REDIS_URL', () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(redisConnectorFrom({ REDIS_URL: undefined }, captureLogger().logger, metrics)).toBeUndefined();
  });

  it('are kv, limits and http-limits, each up on /metrics', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const { logger } = captureLogger();
    const redis = redisConnectorFrom({ REDIS_URL: url }, logger, metrics);
    if (redis === undefined) throw new Error('expected a connector');
    const prefix = nextPrefix();
    const kv = createKeyValueStore({ redis, prefix });
    const limiter = new RedisLimiterStore({ connector: redis, prefix });
    const http = createHttpLimits({
      redis,
      KV_PREFIX: prefix,
      API_RATE_LIMIT: '60/minute',
      API_KEYS: [],
      WEBHOOK_RATE_LIMIT: '60/minute',
      RATE_LIMIT_FAIL_MODE: 'open',
      logger,
    });
    try {
      await kv.ping();
      const deadline = Date.now() + 5_000;
      let body = '';
      while (Date.now() < deadline) {
        body = (await metrics.render()).body;
        if ((body.match(/^teambot_redis_connection_up\{name="[^"]+"\} 1$/gm) ?? []).length === 3) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const name of ['kv', 'limits', 'http-limits'])
        expect(body).toContain(`teambot_redis_connection_up{name="${name}"} 1`);
    } finally {
      await Promise.all([kv.close(), limiter.close(), http.close()]);
    }
  });
});
