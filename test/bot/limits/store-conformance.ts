import { describe, expect, it } from 'vitest';
import type { GcraCheck, LimiterStore } from '../../../src/bot/limits/types.js';

const MINUTE = 60_000;
let seq = 0;
const uniq = (name: string) => `${name}:${process.pid}:${Date.now()}:${++seq}`;

const window = (key: string, limit: number, periodMs: number, extra: Partial<GcraCheck> = {}): GcraCheck => ({
  key,
  limit,
  periodMs,
  cost: 1,
  consume: true,
  ...extra,
});

/** The same behaviour from every limiter store (memory and Redis), BullMQ style. */
export function limiterConformance(name: string, make: () => Promise<LimiterStore> | LimiterStore): void {
  describe(`${name} limiter store`, () => {
    it('allows exactly 10 of 100 concurrent requests against a limit of 10', async () => {
      const store = await make();
      const key = uniq('burst');
      const decisions = await Promise.all(
        Array.from({ length: 100 }, () => store.decide({ windows: [window(key, 10, MINUTE)] })),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      const denied = decisions.find((d) => !d.allowed);
      expect(denied?.retryAfterMs).toBeGreaterThan(0);
      expect(denied?.retryAfterMs).toBeLessThanOrEqual(6_000);
      await store.close();
    });

    it('resets the window as time passes (injected clock), one request per emission interval', async () => {
      const store = await make();
      const key = uniq('reset');
      const t0 = 1_700_000_000_000;
      const at = (now: number) => store.decide({ windows: [window(key, 2, 10_000)], now });
      expect((await at(t0)).allowed).toBe(true);
      expect((await at(t0)).allowed).toBe(true);
      const third = await at(t0 + 1);
      expect(third.allowed).toBe(false);
      expect(third.retryAfterMs).toBe(4_999);
      expect((await at(t0 + 4_999)).allowed).toBe(false);
      expect((await at(t0 + 5_000)).allowed).toBe(true);
      expect((await at(t0 + 5_000)).allowed).toBe(false);
      const later = await at(t0 + 30_000);
      expect(later).toMatchObject({ allowed: true, remaining: 1 });
      await store.close();
    });

    it('checks several windows at once and a denied request consumes nothing', async () => {
      const store = await make();
      const minute = uniq('minute');
      const day = uniq('day');
      const t0 = 1_700_000_000_000;
      const both = (now: number) =>
        store.decide({ windows: [window(minute, 2, MINUTE), window(day, 3, 86_400_000)], now });
      expect((await both(t0)).allowed).toBe(true);
      expect((await both(t0)).allowed).toBe(true);
      const third = await both(t0);
      expect(third).toMatchObject({ allowed: false, deniedBy: 0 });
      // The day window was not charged by the denied request: one more fits after the minute refills.
      expect((await both(t0 + MINUTE)).allowed).toBe(true);
      const fourth = await both(t0 + 2 * MINUTE);
      expect(fourth).toMatchObject({ allowed: false, deniedBy: 1 });
      // GCRA refills evenly: one request per 8 h of a 3/day window.
      expect(fourth.retryAfterMs).toBe(8 * 3_600_000 - 2 * MINUTE);
      expect(
        await store.peek([window(minute, 2, MINUTE), window(day, 3, 86_400_000)], t0 + 2 * MINUTE),
      ).toEqual([2, 0]);
      await store.close();
    });

    it('limits generations in flight with leases, released or expired', async () => {
      const store = await make();
      const key = uniq('lease');
      const t0 = 1_700_000_000_000;
      const lease = (id: string, now = t0) =>
        store.decide({ windows: [], lease: { key, max: 2, id, ttlMs: 1_000 }, now });
      expect((await lease('a')).allowed).toBe(true);
      expect((await lease('b')).allowed).toBe(true);
      expect(await lease('c')).toMatchObject({ allowed: false, deniedBy: -1 });
      await store.release({ key, id: 'a' });
      expect((await lease('c')).allowed).toBe(true);
      expect((await lease('d')).allowed).toBe(false);
      // b and c were never released: they expire after their ttl.
      expect((await lease('d', t0 + 1_001)).allowed).toBe(true);
      await store.close();
    });

    it('charges a token budget after the fact and denies once it is spent', async () => {
      const store = await make();
      const key = uniq('tokens');
      const t0 = 1_700_000_000_000;
      const budget = window(key, 1_000, 86_400_000, { consume: false });
      expect((await store.decide({ windows: [budget], now: t0 })).allowed).toBe(true);
      expect((await store.decide({ windows: [budget], now: t0 })).allowed).toBe(true);
      await store.charge([{ ...budget, cost: 600, consume: true }], t0);
      expect(await store.peek([budget], t0)).toEqual([400]);
      await store.charge([{ ...budget, cost: 500, consume: true }], t0);
      const denied = await store.decide({ windows: [budget], now: t0 });
      expect(denied.allowed).toBe(false);
      // 101 tokens over: 101 tokens at 86.4 s each before one token fits again.
      expect(denied.retryAfterMs).toBe(101 * 86_400);
      await store.close();
    });
  });
}
