/**
 * A small key-value store: everything that must be shared between replicas
 * (dedup, limits, conversations, admin overrides, caches, tasks) goes through it.
 * Keys are namespaced by the implementation's prefix; callers pass bare keys.
 */
export interface ListPushOptions {
  /** Keep only the newest `maxLength` items (trims from the head). */
  maxLength?: number;
  /** (Re)sets the list's time to live. */
  ttlMs?: number;
}

export interface KeyValueStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when the key does not exist (Redis SET NX). True when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Deletes keys; resolves with how many existed. */
  delete(...keys: string[]): Promise<number>;
  /** Atomically adds `by` (default 1); a key created by this call gets `ttlMs`. */
  increment(key: string, by?: number, ttlMs?: number): Promise<number>;
  /** Remaining time to live in ms; null when the key is missing or has none. */
  ttl(key: string): Promise<number | null>;
  /** Appends to a list atomically, optionally bounding it and setting its TTL. Resolves with the new length. */
  listPush(key: string, values: string[], options?: ListPushOptions): Promise<number>;
  /** Items from `start` to `stop` inclusive; negative indexes count from the end (Redis LRANGE). */
  listRange(key: string, start?: number, stop?: number): Promise<string[]>;
  /** Resolves when the store answers; rejects with a clear error otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class KeyValueStoreError extends Error {
  override readonly name = 'KeyValueStoreError';
}
