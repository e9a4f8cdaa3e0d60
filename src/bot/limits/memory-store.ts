import { gcraStep } from './gcra.js';
import type { GcraCheck, LimitDecision, LimiterStore, LimitRequest } from './types.js';

interface Entry {
  tat: number;
  expiresAt: number;
}

/** The limiter for embedded mode (no REDIS_URL): one process, the same GCRA as the Lua script. */
export class MemoryLimiterStore implements LimiterStore {
  readonly kind = 'memory';
  readonly #tats = new Map<string, Entry>();
  readonly #leases = new Map<string, Map<string, number>>();
  readonly #clock: () => number;
  #decisions = 0;

  constructor(options: { clock?: () => number } = {}) {
    this.#clock = options.clock ?? Date.now;
  }

  async decide(request: LimitRequest): Promise<LimitDecision> {
    const now = request.now ?? this.#clock();
    this.#sweep(now);
    let denied: number | undefined;
    let retry = 0;
    let remaining = Number.POSITIVE_INFINITY;
    const writes: Array<[string, number]> = [];
    request.windows.forEach((check, index) => {
      const step = gcraStep(check, this.#tat(check.key, now), now);
      if (step.waitMs > 0) {
        if (denied === undefined || step.waitMs > retry) {
          retry = step.waitMs;
          denied = index;
        }
        return;
      }
      if (check.consume && check.cost > 0) writes.push([check.key, step.newTat]);
      remaining = Math.min(remaining, step.remaining);
    });
    const lease = request.lease;
    const held = lease === undefined ? undefined : this.#liveLeases(lease.key, now);
    if (denied === undefined && lease !== undefined && (held?.size ?? 0) >= lease.max) denied = -1;
    if (denied !== undefined)
      return { allowed: false, retryAfterMs: Math.ceil(retry), deniedBy: denied, remaining: 0 };
    for (const [key, tat] of writes) this.#tats.set(key, { tat, expiresAt: tat });
    if (lease !== undefined) {
      const set = held ?? new Map<string, number>();
      set.set(lease.id, now + lease.ttlMs);
      this.#leases.set(lease.key, set);
    }
    return { allowed: true, retryAfterMs: 0, remaining };
  }

  async charge(checks: GcraCheck[], now = this.#clock()): Promise<void> {
    for (const check of checks) {
      if (check.cost <= 0) continue;
      const step = gcraStep(check, this.#tat(check.key, now), now);
      this.#tats.set(check.key, { tat: step.newTat, expiresAt: step.newTat });
    }
  }

  async release(lease: { key: string; id: string }): Promise<void> {
    const set = this.#leases.get(lease.key);
    set?.delete(lease.id);
    if (set?.size === 0) this.#leases.delete(lease.key);
  }

  async peek(checks: GcraCheck[], now = this.#clock()): Promise<number[]> {
    return checks.map((check) =>
      Math.max(0, gcraStep({ ...check, cost: 0 }, this.#tat(check.key, now), now).remaining),
    );
  }

  async close(): Promise<void> {
    this.#tats.clear();
    this.#leases.clear();
  }

  #tat(key: string, now: number): number | undefined {
    const entry = this.#tats.get(key);
    return entry === undefined || entry.expiresAt <= now ? undefined : entry.tat;
  }

  #liveLeases(key: string, now: number): Map<string, number> | undefined {
    const set = this.#leases.get(key);
    if (set === undefined) return undefined;
    for (const [id, expiresAt] of set) if (expiresAt <= now) set.delete(id);
    return set;
  }

  /** Drops expired entries now and then, so idle users do not pile up. */
  #sweep(now: number): void {
    this.#decisions += 1;
    if (this.#decisions % 1000 !== 0) return;
    for (const [key, entry] of this.#tats) if (entry.expiresAt <= now) this.#tats.delete(key);
    for (const key of this.#leases.keys()) {
      if (this.#liveLeases(key, now)?.size === 0) this.#leases.delete(key);
    }
  }
}
