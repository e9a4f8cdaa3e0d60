import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PipelineMetrics } from './pipeline.js';

export interface MetricsOptions {
  /** Reported as `teambot_info{version}` (default 'unknown'). */
  version?: string;
  /** Collect the process metrics (CPU, memory, event loop, GC); on by default. */
  defaultMetrics?: boolean;
}

/** teambot's metrics, all on one registry of its own (never prom-client's global one). */
export interface Metrics {
  /** Register feature metrics here: `new Counter({ ..., registers: [metrics.registry] })`. */
  readonly registry: Registry;
  /** `teambot_http_request_duration_seconds{method,route,status}` */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /**
   * Backs the pipeline's counter `teambot_pipeline_messages_total{stage,outcome}` and the gauge
   * `teambot_inflight_replies` (replies being generated or streamed right now), and the counter
   * `teambot_messages_received_total{platform}`.
   */
  readonly pipeline: PipelineMetrics;
  /** The Prometheus text exposition and its content type, for GET /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'teambot_http_request_duration_seconds',
    help: 'HTTP request latency by method, matched route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const pipelineMessages = new Counter({
    name: 'teambot_pipeline_messages_total',
    help: 'Messages seen by each pipeline stage, by outcome.',
    labelNames: ['stage', 'outcome'] as const,
    registers: [registry],
  });
  const received = new Counter({
    name: 'teambot_messages_received_total',
    help: 'Chat messages handed to the pipeline, by platform (slack, lark, local).',
    labelNames: ['platform'] as const,
    registers: [registry],
  });
  const inflightReplies = new Gauge({
    name: 'teambot_inflight_replies',
    help: 'Replies being generated or streamed right now.',
    registers: [registry],
  });
  const info = new Gauge({
    name: 'teambot_info',
    help: 'Build information; the value is always 1.',
    labelNames: ['version'] as const,
    registers: [registry],
  });
  info.set({ version: options.version ?? 'unknown' }, 1);

  return {
    registry,
    httpDuration,
    pipeline: {
      stage: (stage, outcome) => pipelineMessages.inc({ stage, outcome }),
      inFlight: (count) => inflightReplies.set(count),
      received: (platform) => received.inc({ platform }),
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
