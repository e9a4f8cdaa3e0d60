import { errorMessage } from '../util/error-message.js';
import { withTimeout } from '../util/timeout.js';

/** One dependency's state, as shown by GET /ready. */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** Probes one dependency (KV store, object store, inference engine …). */
export type ReadinessCheck = () => Promise<CheckResult>;

/** GET /ready's body: ready when every check is ok. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

const MAX_DETAIL = 300;

/**
 * Runs every check at once. A check that throws, or has not answered within
 * `timeoutMs`, counts as not ok with the reason as its detail.
 */
export async function runReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number = DEFAULT_READINESS_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await settle(check, timeoutMs)] as const),
  );
  const results = Object.fromEntries(entries);
  return { ready: entries.every(([, r]) => r.ok), checks: results };
}

/** Runs one check, turning a throw, a timeout or a malformed answer into `{ ok: false }`. */
export async function settle(check: () => Promise<CheckResult>, timeoutMs: number): Promise<CheckResult> {
  const outcome = await withTimeout(check, timeoutMs);
  switch (outcome.kind) {
    case 'done':
      return { ok: outcome.value.ok === true, detail: truncate(String(outcome.value.detail)) };
    case 'timeout':
      return { ok: false, detail: `timed out after ${timeoutMs} ms` };
    case 'error': {
      const { error } = outcome;
      return { ok: false, detail: truncate(errorMessage(error)) };
    }
  }
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}
