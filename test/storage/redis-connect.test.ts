import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RedisConnector } from '../../src/storage/redis/connect.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { redisSocketUrlForTests, redisUrlForTests, usePrefixes } from '../helpers/redis.js';

const url = redisUrlForTests();
const nextPrefix = usePrefixes(url);

async function upGauge(registry: Registry): Promise<Record<string, number>> {
  const metric = registry.getSingleMetric('teambot_redis_connection_up');
  if (metric === undefined) return {};
  const { values } = await metric.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.name), v.value]));
}

async function until(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RedisConnector', () => {
  it('parses the URL once and shows it without credentials', () => {
    const connector = new RedisConnector('redis://teambot:hunter2@127.0.0.1:6390/3');
    expect(connector.target.display).toBe('redis://127.0.0.1:6390');
    expect(connector.target.connection).toMatchObject({ host: '127.0.0.1', port: 6390, db: 3 });
    expect(connector.target.secrets).toContain('hunter2');
    expect(new RedisConnector('rediss://example.test').target.connection).toMatchObject({ tls: {} });
    expect(new RedisConnector('unix:///tmp/redis.sock').target.connection).toMatchObject({
      path: '/tmp/redis.sock',
    });
  });

  it('names each connection, applies its key prefix and reports it up on /metrics', async () => {
    const registry = new Registry();
    const connector = new RedisConnector(url, { registry });
    const prefix = nextPrefix();
    const kv = connector.open('kv', { keyPrefix: prefix, maxRetriesPerRequest: 2, commandTimeoutMs: 5_000 });
    const limits = connector.open('limits', { maxRetriesPerRequest: 1, commandTimeoutMs: 1_000 });
    try {
      await kv.set('k', 'v');
      expect(await limits.get(`${prefix}k`)).toBe('v');
      expect(await kv.client('GETNAME')).toBe('teambot:kv');
      expect(await limits.client('GETNAME')).toBe('teambot:limits');
      await until(async () => Object.keys(await upGauge(registry)).length === 2);
      expect(await upGauge(registry)).toEqual({ kv: 1, limits: 1 });
    } finally {
      await Promise.all([kv.quit(), limits.quit()]);
    }
    await until(async () => (await upGauge(registry)).kv === 0);
    expect(await upGauge(registry)).toEqual({ kv: 0, limits: 0 });
  });

  it.runIf(redisSocketUrlForTests() !== undefined)('connects over a unix socket too', async () => {
    const redis = new RedisConnector(redisSocketUrlForTests() ?? '').open('kv', {
      maxRetriesPerRequest: 1,
      commandTimeoutMs: 1_000,
    });
    try {
      expect(await redis.ping()).toBe('PONG');
      expect(await redis.client('GETNAME')).toBe('teambot:kv');
    } finally {
      await redis.quit();
    }
  });

  it('logs errors with the connection name, never the password, and reports it down', async () => {
    const { logger, at } = captureLogger();
    const registry = new Registry();
    const connector = new RedisConnector('redis://teambot:hunter2-s3cret@127.0.0.1:1', { logger, registry });
    const redis = connector.open('http-limits', { maxRetriesPerRequest: 1, commandTimeoutMs: 1_000 });
    try {
      await expect(redis.ping()).rejects.toThrow();
      await until(async () => at('warn').length > 0);
      const [line] = at('warn');
      expect(line).toMatchObject({
        msg: 'redis connection error',
        redis: 'http-limits',
        target: 'redis://127.0.0.1:1',
      });
      expect(String(line?.reason)).toMatch(/ECONNREFUSED/);
      expect(JSON.stringify(at('warn'))).not.toContain('hunter2');
      expect(await upGauge(registry)).toEqual({ 'http-limits': 0 });
    } finally {
      redis.disconnect();
    }
  });

  it('keeps quiet about errors nobody listens for', async () => {
    const redis = new RedisConnector('redis://127.0.0.1:1').open('kv', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      commandTimeoutMs: 1_000,
    });
    await expect(redis.ping()).rejects.toThrow();
    redis.disconnect();
  });
});
