import type { RedisConnector } from '../redis/connect.js';
import { MemoryKeyValueStore } from './memory.js';
import { type RedisErrorListener, RedisKeyValueStore } from './redis.js';
import type { KeyValueStore } from './types.js';

export interface KeyValueStoreOptions {
  /** Redis when set (REDIS_URL), in-memory otherwise. */
  redisUrl?: string;
  /** Redis through the app's connector (REDIS_URL parsed once, the connection named `kv`); wins over redisUrl. */
  redis?: RedisConnector | undefined;
  /** Namespaces every key (KV_PREFIX). */
  prefix: string;
  /** Receives Redis connection errors (e.g. to log them); ignored by the memory store. */
  onError?: RedisErrorListener;
}

export function createKeyValueStore(options: KeyValueStoreOptions): KeyValueStore {
  const { redis, redisUrl, prefix } = options;
  let store: RedisKeyValueStore;
  if (redis !== undefined) store = new RedisKeyValueStore({ connector: redis, prefix });
  else if (redisUrl !== undefined && redisUrl !== '')
    store = new RedisKeyValueStore({ url: redisUrl, prefix });
  else return new MemoryKeyValueStore({ prefix });
  if (options.onError !== undefined) store.on('error', options.onError);
  return store;
}
