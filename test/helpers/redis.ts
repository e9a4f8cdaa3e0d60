import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, inject } from 'vitest';
import { parseRedisUrl } from '../../src/storage/kv/redis-url.js';

/** The Redis the global setup started (or REDIS_URL). */
export function redisUrlForTests(): string {
  return inject('redisUrl');
}

/** The same Redis over a unix socket, or undefined when REDIS_URL was given. */
export function redisSocketUrlForTests(): string | undefined {
  return inject('redisSocketUrl') || undefined;
}

/** A fresh key prefix, so tests never see each other's keys (BullMQ style). */
export function randomPrefix(): string {
  return `teambot-test:${randomBytes(8).toString('hex')}:`;
}

/** Deletes every key under `prefix` with SCAN; resolves with how many were deleted. */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  const redis = new Redis({ ...parseRedisUrl(url).connection, lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        500,
      );
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/**
 * Hands out random prefixes and, after each test, deletes the keys of every prefix handed out in it.
 * Call at describe level.
 */
export function usePrefixes(url: string = redisUrlForTests()): () => string {
  const issued: string[] = [];
  afterEach(async () => {
    const prefixes = issued.splice(0);
    await Promise.all(prefixes.map((prefix) => deleteKeysWithPrefix(url, prefix)));
  });
  return () => {
    const prefix = randomPrefix();
    issued.push(prefix);
    return prefix;
  };
}
