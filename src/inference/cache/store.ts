import type { Logger } from '../../log/logger.js';
import type { KeyValueStore } from '../../storage/kv/types.js';
import type { GenerateRequest, GenerateResult } from '../types.js';
import { responseCacheKey } from './key.js';
import { Lru } from './lru.js';

/** What a cache entry keeps of a result. */
export type CachedAnswer = Pick<GenerateResult, 'text' | 'usage' | 'finishReason' | 'model'>;

export interface ResponseCacheOptions {
  kv: KeyValueStore;
  ttlMs: number;
  /** Entries of the in-process LRU in front of the KV store. */
  maxEntries: number;
  logger?: Logger;
  /** Answers longer than this many characters are not cached (default 200,000). */
  maxTextChars?: number;
  /** Characters the in-process LRU may hold in all (default 16 M, about 32 MB). */
  maxLruChars?: number;
}

const KEY_PREFIX = 'response-cache:';

function parse(raw: string): CachedAnswer | undefined {
  try {
    const value = JSON.parse(raw) as Partial<CachedAnswer>;
    if (typeof value.text !== 'string' || typeof value.model !== 'string') return undefined;
    if (value.usage === undefined || value.finishReason === undefined) return undefined;
    return value as CachedAnswer;
  } catch {
    return undefined;
  }
}

/**
 * Answers to deterministic requests: an in-process LRU in front of the KV store (shared by every
 * replica when it is Redis). A failing store counts as a miss; it never fails a request.
 */
export class ResponseCache {
  private readonly lru: Lru<CachedAnswer>;

  constructor(private readonly options: ResponseCacheOptions) {
    this.lru = new Lru({
      maxEntries: options.maxEntries,
      ttlMs: options.ttlMs,
      maxWeight: options.maxLruChars ?? 16_000_000,
      weigh: (answer) => answer.text.length,
    });
  }

  keyOf(model: string, request: GenerateRequest): string {
    return responseCacheKey(model, request);
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const local = this.lru.get(key);
    if (local !== undefined) return local;
    let raw: string | null;
    try {
      raw = await this.options.kv.get(KEY_PREFIX + key);
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'response cache: the KV store failed; counted as a miss');
      return undefined;
    }
    const value = raw === null ? undefined : parse(raw);
    if (value !== undefined) this.lru.set(key, value);
    return value;
  }

  /** Stores a complete answer (never a cancelled one). */
  async put(key: string, result: GenerateResult): Promise<void> {
    if (result.finishReason === 'cancelled') return;
    if (result.text.length > (this.options.maxTextChars ?? 200_000)) return;
    const value: CachedAnswer = {
      text: result.text,
      usage: result.usage,
      finishReason: result.finishReason,
      model: result.model,
    };
    this.lru.set(key, value);
    try {
      await this.options.kv.set(KEY_PREFIX + key, JSON.stringify(value), this.options.ttlMs);
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'response cache: could not store an answer');
    }
  }

  /** The cached answer to `request` on `model`, if any (for the fallback chain's timeout policy). */
  lookup(model: string, request: GenerateRequest): Promise<CachedAnswer | undefined> {
    return this.get(this.keyOf(model, request));
  }
}
