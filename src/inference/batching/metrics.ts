import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type PrefixCacheSample, prometheusPrefixMetrics } from './prefix-cache/metrics.js';

export type { PrefixCacheSample };

/** What the batching scheduler reports; `prometheusBatchMetrics` backs it with prom-client. */
export interface BatchMetrics {
  /** Rows in one decode step (`teambot_batch_size`). */
  batchSize(rows: number): void;
  /** Requests waiting for a row (`teambot_inference_queue_depth`). */
  queueDepth(waiting: number): void;
  /** A request refused at once (`teambot_inference_rejections_total{reason}`). */
  rejected(reason: 'busy'): void;
  /** What the prefix cache did at one boundary (prefix-cache/metrics.ts). */
  prefixCache?(sample: PrefixCacheSample): void;
}

export const NO_BATCH_METRICS: BatchMetrics = {
  batchSize: () => {},
  queueDepth: () => {},
  rejected: () => {},
};

export const BATCH_SIZE_BUCKETS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];

function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

/** The scheduler's metrics on `registry` (reused when already registered there). */
export function prometheusBatchMetrics(registry: Registry): BatchMetrics {
  const size =
    existing<Histogram>(registry, 'teambot_batch_size') ??
    new Histogram({
      name: 'teambot_batch_size',
      help: 'Rows decoded together in one forward pass of the local engine (one observation per decode step).',
      buckets: BATCH_SIZE_BUCKETS,
      registers: [registry],
    });
  const depth =
    existing<Gauge>(registry, 'teambot_inference_queue_depth') ??
    new Gauge({
      name: 'teambot_inference_queue_depth',
      help: 'Requests waiting for a row of the local engine.',
      registers: [registry],
    });
  const rejections =
    existing<Counter<'reason'>>(registry, 'teambot_inference_rejections_total') ??
    new Counter({
      name: 'teambot_inference_rejections_total',
      help: 'Requests the local engine refused at once, by reason (busy: the queue was full).',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
  return {
    batchSize: (rows) => size.observe(rows),
    queueDepth: (waiting) => depth.set(waiting),
    rejected: (reason) => rejections.inc({ reason }),
    prefixCache: prometheusPrefixMetrics(registry),
  };
}
