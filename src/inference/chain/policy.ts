import { isBrokenCircuitError } from 'cockatiel';
import { EngineError } from '../errors.js';

/**
 * What the chain does with a backend's failure (before any text reached the caller):
 * - `timeout`: retry on the same backend (up to 3 times), then a cached answer, then the next backend;
 * - `upstream`: a 5xx, a broken connection or an unreachable server: retry with backoff (up to 5
 *   times), then the next backend;
 * - `next`: go straight to the next backend (its breaker is open, it is busy or rate limited, it
 *   is not configured or refuses our credentials);
 * - `fatal`: the request itself is at fault (400) or was cancelled: never retried, never passed on.
 */
export type Verdict = 'timeout' | 'upstream' | 'next' | 'fatal';

export function verdictFor(error: unknown): Verdict {
  if (isBrokenCircuitError(error)) return 'next';
  if (!(error instanceof EngineError)) return 'upstream';
  switch (error.code) {
    case 'timeout':
      return 'timeout';
    case 'upstream':
    case 'unreachable':
    case 'protocol':
      return 'upstream';
    case 'bad_request':
    case 'cancelled':
      return 'fatal';
    default:
      return 'next';
  }
}

/** Failures that count against a backend's circuit breaker (not the caller's bad requests). */
export function isBackendFailure(error: unknown): boolean {
  const verdict = verdictFor(error);
  return verdict === 'timeout' || verdict === 'upstream';
}

/** Exponential backoff with full jitter: attempt 1 waits up to base, 2 up to 2·base, … capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
