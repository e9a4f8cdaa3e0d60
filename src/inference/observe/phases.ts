import type { SpanRecord } from '../../tracing/records.js';
import type { GenerationTimings } from '../types.js';

/**
 * A local generation's phases as spans, from its timings and the moment it ended (ms since the
 * epoch): queued (waiting for a row), prefill (the prompt's forward pass) and decode (the steps,
 * with the rows that shared them).
 */
export function enginePhases(timings: GenerationTimings, endMs: number): SpanRecord[] {
  const start = endMs - timings.totalMs;
  const prefilled = start + timings.prefillMs;
  return [
    {
      name: 'engine.queued',
      startMs: start - (timings.queuedMs ?? 0),
      endMs: start,
      attributes: {},
    },
    {
      name: 'engine.prefill',
      startMs: start,
      endMs: prefilled,
      attributes: { 'teambot.prompt_tokens': timings.promptTokens },
    },
    {
      name: 'engine.decode',
      startMs: prefilled,
      endMs: endMs,
      attributes: {
        'teambot.decode.steps': timings.decodeSteps,
        'teambot.decode.run_ms': timings.decodeRunMs,
        'teambot.batch.rows_mean': timings.batchRowsMean ?? 1,
        'teambot.batch.rows_max': timings.batchRowsMax ?? 1,
      },
    },
  ];
}
