import { describe, expect, it } from 'vitest';
import { createKeyValueStore } from '../../src/storage/kv/factory.js';
import { RedisKeyValueStore } from '../../src/storage/kv/redis.js';
import { parseRedisUrl } from '../../src/storage/kv/redis-url.js';
import { KeyValueStoreError } from '../../src/storage/kv/types.js';
import { redisSocketUrlForTests, redisUrlForTests, usePrefixes } from '../helpers/redis.js';
import { describeKeyValueStoreConformance } from './kv-conformance.js';

const url = redisUrlForTests();
const nextPrefix = usePrefixes(url);

describeKeyValueStoreConformance(
  'RedisKeyValueStore',
  async () => new RedisKeyValueStore({ url, prefix: nextPrefix() }),
);

async function rejection(promise: Promise<unknown>): Promise<KeyValueStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof KeyValueStoreError))
    throw new Error(`expected a KeyValueStoreError, got ${String(error)}`);
  return error;
}

describe('RedisKeyValueStore', () => {
  it('lets exactly one of two connections win setIfAbsent on each key', async () => {
    const prefix = nextPrefix();
    const a = new RedisKeyValueStore({ url, prefix });
    const b = new RedisKeyValueStore({ url, prefix });
    try {
      await Promise.all([a.ping(), b.ping()]);
      for (let i = 0; i < 25; i += 1) {
        const [wonA, wonB] = await Promise.all([
          a.setIfAbsent(`lock:${i}`, 'a'),
          b.setIfAbsent(`lock:${i}`, 'b'),
        ]);
        expect(Number(wonA) + Number(wonB)).toBe(1);
        expect(await b.get(`lock:${i}`)).toBe(wonA ? 'a' : 'b');
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('rejects quickly with an error naming the address when Redis is unreachable', async () => {
    const kv = new RedisKeyValueStore({ url: 'redis://127.0.0.1:1', prefix: nextPrefix() });
    const seen: KeyValueStoreError[] = [];
    kv.on('error', (error) => seen.push(error));
    const started = Date.now();
    try {
      const pingError = await rejection(kv.ping());
      expect(pingError.message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:1 is unreachable: .*ECONNREFUSED/);
      const getError = await rejection(kv.get('k'));
      expect(getError.message).toContain('redis://127.0.0.1:1');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0]).toBeInstanceOf(KeyValueStoreError);
    } finally {
      await kv.close();
    }
  });

  it('survives connection errors with no listener attached', async () => {
    const kv = new RedisKeyValueStore({ url: 'redis://127.0.0.1:1', prefix: nextPrefix() });
    await expect(kv.set('k', 'v')).rejects.toBeInstanceOf(KeyValueStoreError);
    await kv.close();
  });

  it('never shows the password of the URL', async () => {
    const kv = new RedisKeyValueStore({
      url: 'redis://teambot:hunter2-s3cret@127.0.0.1:1/0',
      prefix: nextPrefix(),
    });
    const seen: string[] = [];
    kv.on('error', (error) => seen.push(error.message));
    try {
      const error = await rejection(kv.ping());
      expect(error.message).toContain('redis://127.0.0.1:1');
      for (const message of [error.message, ...seen]) expect(message).not.toContain('hunter2');
    } finally {
      await kv.close();
    }
  });

  it('says when the server rejects the credentials, without echoing them', async () => {
    const kv = new RedisKeyValueStore({
      url: url.replace('redis://', 'redis://nobody:hunter2@'),
      prefix: nextPrefix(),
    });
    try {
      const error = await rejection(kv.ping());
      expect(error.message).toContain('Redis at');
      expect(error.message).not.toContain('hunter2');
    } finally {
      await kv.close();
    }
  });

  it.runIf(redisSocketUrlForTests() !== undefined)('connects over a unix socket URL', async () => {
    const prefix = nextPrefix();
    const socket = new RedisKeyValueStore({ url: redisSocketUrlForTests() ?? '', prefix });
    const tcp = new RedisKeyValueStore({ url, prefix });
    try {
      await socket.set('k', 'over the socket');
      expect(await tcp.get('k')).toBe('over the socket');
    } finally {
      await Promise.all([socket.close(), tcp.close()]);
    }
  });

  it('is what the factory builds with a Redis URL', async () => {
    const kv = createKeyValueStore({ redisUrl: url, prefix: nextPrefix() });
    expect(kv.kind).toBe('redis');
    await kv.ping();
    await kv.close();
  });
});

describe('parseRedisUrl', () => {
  it('reads host, port, db, credentials and tls', () => {
    const target = parseRedisUrl('rediss://user:p%40ss@cache.internal:6380/2');
    expect(target.connection).toMatchObject({ host: 'cache.internal', port: 6380, db: 2, username: 'user' });
    expect(target.connection.password).toBe('p@ss');
    expect(target.connection.tls).toEqual({});
    expect(target.display).toBe('rediss://cache.internal:6380');
    expect(parseRedisUrl('redis://localhost').connection).toMatchObject({
      host: 'localhost',
      port: 6379,
      db: 0,
    });
  });

  it('reads unix socket paths', () => {
    const target = parseRedisUrl('unix:///var/run/redis/redis.sock?db=3');
    expect(target.connection).toMatchObject({ path: '/var/run/redis/redis.sock', db: 3 });
    expect(target.display).toBe('unix:///var/run/redis/redis.sock');
  });

  it('rejects other schemes and bad URLs without echoing them', () => {
    expect(() => parseRedisUrl('http://x')).toThrow(KeyValueStoreError);
    expect(() => parseRedisUrl('not a url :secret@')).toThrow(/not a valid URL/);
    expect(() => parseRedisUrl('redis://h/abc')).toThrow(KeyValueStoreError);
  });
});
