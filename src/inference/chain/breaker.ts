import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import { isBackendFailure } from './policy.js';

export type BreakerState = 'closed' | 'half_open' | 'open';

export interface BreakerOptions {
  /** Consecutive backend failures that open the circuit (default 5). */
  threshold?: number;
  /** How long an open circuit waits before letting one trial call through (default 30 s). */
  halfOpenAfterMs?: number;
}

export function breakerState(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half_open';
  return 'open'; // Open or Isolated
}

/** A cockatiel circuit breaker that counts only the backend's own failures (timeouts, 5xx, unreachable). */
export function createBreaker(
  options: BreakerOptions,
  onState: (state: BreakerState) => void,
): CircuitBreakerPolicy {
  const breaker = circuitBreaker(handleWhen(isBackendFailure), {
    breaker: new ConsecutiveBreaker(options.threshold ?? 5),
    halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
  });
  breaker.onStateChange((state) => onState(breakerState(state)));
  onState('closed');
  return breaker;
}
