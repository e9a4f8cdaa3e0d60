/**
 * One limiter decision covers several GCRA windows and an optional in-flight lease, all or nothing:
 * when any part denies, nothing is consumed.
 */
export interface GcraCheck {
  /** Bare key (the store adds its prefix). */
  key: string;
  limit: number;
  periodMs: number;
  /** Units this request costs (1 for a request). */
  cost: number;
  /** False: only check that `cost` would fit, consume nothing (token budgets are charged later). */
  consume: boolean;
}

export interface LeaseCheck {
  key: string;
  max: number;
  /** A unique id for this lease; release() takes it back. */
  id: string;
  /** How long a lease lives when never released (a crashed replica). */
  ttlMs: number;
}

export interface LimitRequest {
  windows: GcraCheck[];
  lease?: LeaseCheck | undefined;
  /** Clock override in ms (tests); the store's clock otherwise (Redis TIME, Date.now in memory). */
  now?: number | undefined;
}

export interface LimitDecision {
  allowed: boolean;
  /** When denied: how long until the request would fit. 0 when allowed. */
  retryAfterMs: number;
  /** When denied: the index of the denying window, or -1 for the in-flight lease. */
  deniedBy?: number | undefined;
  /** Requests left in the tightest window after this one (Infinity without windows). */
  remaining: number;
}

/** Where decisions are made: Redis (one Lua script) or memory (embedded mode). */
export interface LimiterStore {
  readonly kind: 'memory' | 'redis';
  decide(request: LimitRequest): Promise<LimitDecision>;
  /** Adds `cost` to GCRA keys unconditionally (token budgets, charged after a generation). */
  charge(checks: GcraCheck[], now?: number): Promise<void>;
  release(lease: { key: string; id: string }): Promise<void>;
  /** Read-only: what `decide` would answer for a cost-1 check, without consuming (for /limits). */
  peek(checks: GcraCheck[], now?: number): Promise<number[]>;
  close(): Promise<void>;
}

/** The store could not decide (Redis unreachable); the stage applies RATE_LIMIT_FAIL_MODE. */
export class LimiterUnavailableError extends Error {
  override readonly name = 'LimiterUnavailableError';
}
