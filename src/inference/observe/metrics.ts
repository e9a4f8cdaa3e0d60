import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BreakerState } from '../chain/breaker.js';

/** Seconds; first tokens of a local CPU model take from milliseconds to tens of seconds. */
export const TTFT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];
export const ITL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** The inference core's metrics, registered on teambot's registry. */
export interface InferenceMetrics {
  /** A generation ended: its completion tokens (rate() of the counter gives tokens per second). */
  generated(engine: string, tokens: number): void;
  firstToken(engine: string, seconds: number): void;
  interToken(engine: string, seconds: number): void;
  /** How long a local generation waited for a row before it started. */
  queued(engine: string, seconds: number): void;
  /** The OpenAI-compatible API refused a request (unauthorized, invalid_request, busy, …). */
  apiRejection(reason: string): void;
  cacheLookup(result: 'hit' | 'miss'): void;
  breakerState(backend: string, state: BreakerState): void;
}

export function createInferenceMetrics(registry: Registry): InferenceMetrics {
  const tokens = new Counter({
    name: 'teambot_generated_tokens_total',
    help: 'Completion tokens generated, by engine (rate() gives tokens per second).',
    labelNames: ['engine'] as const,
    registers: [registry],
  });
  const ttft = new Histogram({
    name: 'teambot_time_to_first_token_seconds',
    help: 'Time from a generation request to its first streamed chunk.',
    labelNames: ['engine'] as const,
    buckets: TTFT_BUCKETS,
    registers: [registry],
  });
  const itl = new Histogram({
    name: 'teambot_inter_token_latency_seconds',
    help: 'Time between consecutive streamed chunks of one generation.',
    labelNames: ['engine'] as const,
    buckets: ITL_BUCKETS,
    registers: [registry],
  });
  const queueWait = new Histogram({
    name: 'teambot_inference_queue_wait_seconds',
    help: 'Time a local generation waited for a row of the engine before its prefill began.',
    labelNames: ['engine'] as const,
    buckets: TTFT_BUCKETS,
    registers: [registry],
  });
  const rejections = new Counter({
    name: 'teambot_api_rejections_total',
    help: 'Requests the OpenAI-compatible API refused, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const cache = new Counter({
    name: 'teambot_response_cache_total',
    help: 'Response cache lookups of deterministic requests, by result (hit or miss).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  cache.inc({ result: 'hit' }, 0);
  cache.inc({ result: 'miss' }, 0);
  const breaker = new Gauge({
    name: 'teambot_backend_breaker_state',
    help: 'Circuit breaker state per inference backend: 0 closed, 1 half-open, 2 open.',
    labelNames: ['backend'] as const,
    registers: [registry],
  });
  return {
    generated: (engine, count) => tokens.inc({ engine }, count),
    firstToken: (engine, seconds) => ttft.observe({ engine }, seconds),
    interToken: (engine, seconds) => itl.observe({ engine }, seconds),
    queued: (engine, seconds) => queueWait.observe({ engine }, seconds),
    apiRejection: (reason) => rejections.inc({ reason }),
    cacheLookup: (result) => cache.inc({ result }),
    breakerState: (backend, state) => breaker.set({ backend }, BREAKER_VALUE[state]),
  };
}
