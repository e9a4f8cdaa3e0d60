import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiKeyLimiterKey,
  apiKeyRateLimit,
  limitWebhooks,
  webhookRateLimit,
} from '../../src/server/rate-limits.js';
import { parseRedisUrl } from '../../src/storage/kv/redis-url.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { redisUrlForTests, usePrefixes } from '../helpers/redis.js';

const prefix = usePrefixes();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A tiny app: the limiter in front of a /v1 route and a webhook router, as serve mounts them. */
async function app(api: RequestHandler, webhook: RequestHandler): Promise<string> {
  const a = express();
  a.use('/v1', api);
  a.get('/v1/models', (_req, res) => {
    res.json({ data: [] });
  });
  const slack = express.Router().post('/', (_req, res) => {
    res.send('ok');
  });
  for (const { path, router } of limitWebhooks([{ path: '/slack/events', router: slack }], webhook))
    a.use(path, router);
  const server: Server = await new Promise((resolve) => {
    const s = a.listen(0, '127.0.0.1', () => resolve(s));
  });
  closers.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = (base: string, key?: string) =>
  fetch(`${base}/v1/models`, key === undefined ? {} : { headers: { authorization: `Bearer ${key}` } });

function redisClient(): Redis {
  const redis = new Redis(parseRedisUrl(redisUrlForTests()).connection);
  closers.push(async () => void (await redis.quit()));
  return redis;
}

describe('HTTP rate limits', () => {
  it('limits the API per key: 429 with Retry-After and an OpenAI-style body; other keys unaffected', async () => {
    const base = await app(
      apiKeyRateLimit({ window: '3/minute' }),
      webhookRateLimit({ window: '100/minute' }),
    );
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get(base, 'sk-alpha')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await get(base, 'sk-alpha');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect((await get(base, 'sk-beta')).status).toBe(200);
    expect(limited.headers.get('ratelimit-policy')).toContain('q=3');
  });

  it('with the server keys given, made-up keys share their address budget', async () => {
    const base = await app(
      apiKeyRateLimit({ window: '2/minute', keys: ['sk-real'] }),
      webhookRateLimit({ window: '100/minute' }),
    );
    expect([(await get(base, 'sk-fake-1')).status, (await get(base, 'sk-fake-2')).status]).toEqual([
      200, 200,
    ]);
    expect((await get(base, 'sk-fake-3')).status).toBe(429);
    expect((await get(base)).status).toBe(429);
    expect([(await get(base, 'sk-real')).status, (await get(base, 'sk-real')).status]).toEqual([200, 200]);
  });

  it('shares the count across replicas in Redis and never stores the raw key', async () => {
    const redis = redisClient();
    const p = prefix();
    const replica = () =>
      app(
        apiKeyRateLimit({ window: '5/minute', redis, prefix: `${p}api:` }),
        webhookRateLimit({ window: '100/minute' }),
      );
    const [one, two] = await Promise.all([replica(), replica()]);
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => get(i % 2 === 0 ? one : two, 'sk-secret-123')),
    );
    expect(statuses.filter((r) => r.status === 200)).toHaveLength(5);
    const keys = await redis.keys(`${p}*`);
    expect(keys).toEqual([`${p}api:${apiKeyLimiterKey('sk-secret-123')}`]);
    expect(keys.join()).not.toContain('sk-secret-123');
  });

  it('limits webhooks per address but never refuses Slack retries', async () => {
    const base = await app(
      apiKeyRateLimit({ window: '100/minute' }),
      webhookRateLimit({ window: '2/minute' }),
    );
    const post = (retry?: string) =>
      fetch(`${base}/slack/events`, {
        method: 'POST',
        headers: retry === undefined ? {} : { 'x-slack-retry-num': retry },
      });
    expect([(await post()).status, (await post()).status, (await post()).status]).toEqual([200, 200, 429]);
    expect([(await post('1')).status, (await post('2')).status, (await post('3')).status]).toEqual([
      200, 200, 200,
    ]);
  });
});

describe('HTTP limits with Redis stopped', () => {
  for (const failMode of ['open', 'closed'] as const) {
    it(`fail ${failMode}: requests ${failMode === 'open' ? 'pass' : 'are refused'} while the store is unreachable`, async () => {
      const { startRedisServer } = await import('../../bench/limits/redis-server.js');
      const own = await startRedisServer();
      closers.push(() => own.stop());
      const redis = new Redis({
        ...parseRedisUrl(own.url).connection,
        maxRetriesPerRequest: 1,
        commandTimeout: 500,
      });
      redis.on('error', () => undefined);
      closers.push(async () => redis.disconnect());
      const base = await app(
        apiKeyRateLimit({
          window: '100/minute',
          redis,
          prefix: 'f:',
          failMode,
          logger: captureLogger().logger,
        }),
        webhookRateLimit({ window: '100/minute' }),
      );
      expect((await get(base, 'sk-1')).status).toBe(200);
      await own.stop();
      const during = await get(base, 'sk-1');
      expect(during.status).toBe(failMode === 'open' ? 200 : 503);
      if (failMode === 'closed') expect(during.headers.get('retry-after')).toBe('30');
    });
  }
});

describe('apiKeyRateLimit as the OpenAI API key limiter', () => {
  it('runs after the key check: valid keys get their budget, wrong keys are refused before counting', async () => {
    const { apiServer, KEYS } = await import('./openai-api/support.js');
    const { startFakeOpenAI } = await import('../helpers/fake-openai.js');
    const { OpenAICompatibleEngine } = await import('../../src/inference/openai/engine.js');
    const fake = await startFakeOpenAI();
    const engine = new OpenAICompatibleEngine({
      baseUrl: fake.url,
      model: 'fake-model',
      timeoutMs: 5_000,
      contextLength: 4096,
    });
    const server = await apiServer(engine, { keyLimiter: apiKeyRateLimit({ window: '2/minute' }) });
    closers.push(async () => {
      await engine.close();
      await fake.close();
    });
    const models = (key: string) =>
      fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    const [one, two] = KEYS as [string, string];
    expect((await models('sk-wrong')).status).toBe(401);
    expect([(await models(one)).status, (await models(one)).status]).toEqual([200, 200]);
    const limited = await models(one);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { type: 'rate_limit_exceeded' } });
    expect((await models(two)).status).toBe(200);
  });
});
