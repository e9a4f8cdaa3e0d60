import { checkIncrement, checkMaxLength, checkTtl, parseCounter, rangeSlice } from './options.js';
import { type KeyValueStore, KeyValueStoreError, type ListPushOptions } from './types.js';

type Entry =
  | { type: 'string'; value: string; expiresAt: number | null }
  | { type: 'list'; items: string[]; expiresAt: number | null };
type ListEntry = Extract<Entry, { type: 'list' }>;

export interface MemoryKeyValueStoreOptions {
  /** Namespaces every key, as the Redis store does. */
  prefix?: string;
  /** How often expired keys are swept out (they are also dropped lazily on access). */
  sweepIntervalMs?: number;
  /** The clock, in milliseconds; injectable for tests. */
  now?: () => number;
}

/** A single-process KeyValueStore with the same semantics as the Redis one. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly kind = 'memory';
  readonly #entries = new Map<string, Entry>();
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #sweep: NodeJS.Timeout;
  #closed = false;

  constructor(options: MemoryKeyValueStoreOptions = {}) {
    this.#prefix = options.prefix ?? '';
    this.#now = options.now ?? Date.now;
    this.#sweep = setInterval(() => this.#sweepExpired(), options.sweepIntervalMs ?? 60_000);
    this.#sweep.unref();
  }

  async get(key: string): Promise<string | null> {
    const entry = this.#read(key);
    if (entry === undefined) return null;
    if (entry.type !== 'string') throw wrongType(key);
    return entry.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = checkTtl(ttlMs);
    this.#open();
    this.#entries.set(this.#prefix + key, { type: 'string', value, expiresAt: this.#expiry(ttl) });
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    if (this.#read(key) !== undefined) return false;
    this.#entries.set(this.#prefix + key, { type: 'string', value, expiresAt: this.#expiry(ttl) });
    return true;
  }

  async delete(...keys: string[]): Promise<number> {
    this.#open();
    let deleted = 0;
    for (const key of new Set(keys)) {
      if (this.#read(key) !== undefined && this.#entries.delete(this.#prefix + key)) deleted += 1;
    }
    return deleted;
  }

  async increment(key: string, by = 1, ttlMs?: number): Promise<number> {
    const step = checkIncrement(by);
    const ttl = checkTtl(ttlMs);
    const entry = this.#read(key);
    if (entry === undefined) {
      this.#entries.set(this.#prefix + key, {
        type: 'string',
        value: String(step),
        expiresAt: this.#expiry(ttl),
      });
      return step;
    }
    if (entry.type !== 'string') throw wrongType(key);
    const next = parseCounter(key, entry.value) + step;
    if (!Number.isSafeInteger(next)) throw new KeyValueStoreError(`increment of "${key}" would overflow`);
    entry.value = String(next);
    return next;
  }

  async ttl(key: string): Promise<number | null> {
    const entry = this.#read(key);
    if (entry === undefined || entry.expiresAt === null) return null;
    return Math.max(entry.expiresAt - this.#now(), 0);
  }

  async listPush(key: string, values: string[], options: ListPushOptions = {}): Promise<number> {
    const maxLength = checkMaxLength(options.maxLength);
    const ttl = checkTtl(options.ttlMs);
    const entry = this.#read(key);
    if (entry !== undefined && entry.type !== 'list') throw wrongType(key);
    if (entry === undefined && values.length === 0) return 0;
    const list: ListEntry = entry ?? { type: 'list', items: [], expiresAt: null };
    list.items.push(...values);
    if (maxLength !== undefined && list.items.length > maxLength) {
      list.items.splice(0, list.items.length - maxLength);
    }
    if (ttl !== undefined) list.expiresAt = this.#expiry(ttl);
    if (list.items.length === 0) this.#entries.delete(this.#prefix + key);
    else this.#entries.set(this.#prefix + key, list);
    return list.items.length;
  }

  async listRange(key: string, start = 0, stop = -1): Promise<string[]> {
    const entry = this.#read(key);
    if (entry === undefined) return [];
    if (entry.type !== 'list') throw wrongType(key);
    return entry.items.slice(...rangeSlice(entry.items.length, start, stop));
  }

  async ping(): Promise<void> {
    this.#open();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    this.#entries.clear();
  }

  /** The live entry for a bare key, dropping it when it has expired. */
  #read(key: string): Entry | undefined {
    this.#open();
    const entry = this.#entries.get(this.#prefix + key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.#now()) {
      this.#entries.delete(this.#prefix + key);
      return undefined;
    }
    return entry;
  }

  #expiry(ttlMs: number | undefined): number | null {
    return ttlMs === undefined ? null : this.#now() + ttlMs;
  }

  #open(): void {
    if (this.#closed) throw new KeyValueStoreError('the in-memory key-value store is closed');
  }

  #sweepExpired(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

function wrongType(key: string): KeyValueStoreError {
  return new KeyValueStoreError(`"${key}" holds a value of the wrong type for this operation`);
}
