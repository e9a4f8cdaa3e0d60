import type { GcraCheck } from './types.js';

/** The same GCRA arithmetic as lua.ts, for the in-memory store. */
export function emissionInterval(check: Pick<GcraCheck, 'limit' | 'periodMs'>): number {
  return check.periodMs / check.limit;
}

export interface GcraStep {
  /** The arrival time to store when allowed. */
  newTat: number;
  /** > 0: denied, wait this long. */
  waitMs: number;
  /** Requests left after this one. */
  remaining: number;
}

export function gcraStep(check: GcraCheck, storedTat: number | undefined, now: number): GcraStep {
  const interval = emissionInterval(check);
  const tat = Math.max(storedTat ?? now, now);
  const newTat = tat + check.cost * interval;
  const wait = newTat - check.periodMs - now;
  return {
    newTat,
    waitMs: wait > 0.001 ? wait : 0,
    remaining: Math.floor((now + check.periodMs - newTat) / interval + 0.001),
  };
}

/** Flattens windows into the scripts' ARGV layout (after `now` and the count). */
export function windowArgs(checks: GcraCheck[]): string[] {
  const args: string[] = [];
  for (const check of checks) {
    args.push(
      String(emissionInterval(check)),
      String(check.periodMs),
      String(check.cost),
      check.consume ? '1' : '0',
    );
  }
  return args;
}
