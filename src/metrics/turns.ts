import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { withTimeout } from '../util/timeout.js';

/** What the durable turn queue reports (docs/turns.md). */
export interface TurnMetrics {
  /** A batch started `waitMs` after its first turn was queued. */
  started(waitMs: number): void;
  /** A batch continued another replica's run (it died, or handed the batch back at shutdown). */
  recovered(): void;
  /** `count` turns were answered as part of an earlier turn's batch (a burst). */
  merged(count: number): void;
  /** A running answer was stopped (`user`: a stop request, `interrupt`: a newer message). */
  cancelled(reason: 'user' | 'interrupt'): void;
  /** A batch failed for good (the user was told; the job stays inspectable). */
  failed(): void;
}

export const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300];

/**
 * `teambot_turn_queue_depth` (turns waiting, read from the queue at each scrape),
 * `teambot_turn_wait_seconds`, `teambot_turns_recovered_total`, `teambot_turns_merged_total`,
 * `teambot_turn_cancels_total{reason}` and `teambot_turns_failed_total`.
 */
export function turnMetrics(registry: Registry, depth: () => Promise<number>): TurnMetrics {
  new Gauge({
    name: 'teambot_turn_queue_depth',
    help: 'Chat turns waiting in the turn queue (all replicas with Redis, this process without).',
    registers: [registry],
    async collect() {
      // A scrape never waits for an unreachable queue.
      const read = await withTimeout(depth, 1_000);
      this.set(read.kind === 'done' ? read.value : Number.NaN);
    },
  });
  const wait = new Histogram({
    name: 'teambot_turn_wait_seconds',
    help: 'Time from a turn being queued to its answer starting (burst window included).',
    buckets: WAIT_BUCKETS,
    registers: [registry],
  });
  const recovered = new Counter({
    name: 'teambot_turns_recovered_total',
    help: 'Turns continued by this replica after another died or handed them back.',
    registers: [registry],
  });
  const merged = new Counter({
    name: 'teambot_turns_merged_total',
    help: 'Turns answered together with an earlier one of their conversation (bursts, merge, interrupt).',
    registers: [registry],
  });
  const cancels = new Counter({
    name: 'teambot_turn_cancels_total',
    help: 'Running answers stopped on this replica, by reason (user, interrupt).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const failed = new Counter({
    name: 'teambot_turns_failed_total',
    help: 'Turns that failed for good (the user was told; the job is kept for inspection).',
    registers: [registry],
  });
  return {
    started: (waitMs) => wait.observe(waitMs / 1000),
    recovered: () => recovered.inc(),
    merged: (count) => {
      if (count > 0) merged.inc(count);
    },
    cancelled: (reason) => cancels.inc({ reason }),
    failed: () => failed.inc(),
  };
}
