import { MemoryKeyValueStore } from './memory.js';
import { type RedisErrorListener, RedisKeyValueStore } from './redis.js';
import type { KeyValueStore } from './types.js';

export interface KeyValueStoreOptions {
  /** Redis when set (REDIS_URL), in-memory otherwise. */
  redisUrl?: string;
  /** Namespaces every key (KV_PREFIX). */
  prefix: string;
  /** Receives Redis connection errors (e.g. to log them); ignored by the memory store. */
  onError?: RedisErrorListener;
}

export function createKeyValueStore(options: KeyValueStoreOptions): KeyValueStore {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    return new MemoryKeyValueStore({ prefix: options.prefix });
  }
  const store = new RedisKeyValueStore({ url: options.redisUrl, prefix: options.prefix });
  if (options.onError !== undefined) store.on('error', options.onError);
  return store;
}
