export interface LruOptions<V> {
  maxEntries: number;
  ttlMs: number;
  /** Bound on the sum of `weigh(value)` over all entries (default: none). */
  maxWeight?: number;
  weigh?: (value: V) => number;
  now?: () => number;
}

/**
 * An in-process LRU bounded by entry count and, optionally, by total weight (e.g. characters),
 * with a time to live per entry. A Map keeps insertion order: the first key is the least recent.
 */
export class Lru<V> {
  private readonly entries = new Map<string, { value: V; weight: number; expiresAt: number }>();
  private totalWeight = 0;
  private readonly now: () => number;

  constructor(private readonly options: LruOptions<V>) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get weight(): number {
    return this.totalWeight;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.remove(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.insert(key, entry); // most recently used goes last
    return entry.value;
  }

  set(key: string, value: V): void {
    const { maxEntries, maxWeight = Number.POSITIVE_INFINITY } = this.options;
    const weight = this.options.weigh?.(value) ?? 1;
    this.remove(key);
    if (maxEntries <= 0 || weight > maxWeight) return;
    this.insert(key, { value, weight, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > maxEntries || this.totalWeight > maxWeight) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.remove(oldest.value);
    }
  }

  private insert(key: string, entry: { value: V; weight: number; expiresAt: number }): void {
    this.entries.set(key, entry);
    this.totalWeight += entry.weight;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalWeight -= entry.weight;
  }
}
