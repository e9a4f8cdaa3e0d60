import { Gauge, type Registry } from 'prom-client';
import type { WorkerEndpoint } from './worker-endpoint.js';

/**
 * A gateway's view of its inference workers, read at scrape time:
 * `teambot_inference_workers{state="healthy|total"}`, and per worker (its root URL)
 * `teambot_inference_worker_up{worker}` and `teambot_inference_worker_requests{worker}` (requests this
 * gateway has running there). The "no healthy inference worker" alert watches the first.
 */
export function reportPool(registry: Registry, endpoints: readonly WorkerEndpoint[]): void {
  new Gauge({
    name: 'teambot_inference_worker_up',
    help: 'Whether each inference worker (ENGINE_URLS) passed its last health check: 1 healthy, 0 down.',
    labelNames: ['worker'] as const,
    registers: [registry],
    collect() {
      for (const e of endpoints) this.set({ worker: e.root }, e.healthy ? 1 : 0);
    },
  });
  new Gauge({
    name: 'teambot_inference_worker_requests',
    help: 'Requests this gateway has running on each inference worker.',
    labelNames: ['worker'] as const,
    registers: [registry],
    collect() {
      for (const e of endpoints) this.set({ worker: e.root }, e.inFlight);
    },
  });
  new Gauge({
    name: 'teambot_inference_workers',
    help: 'Inference workers of this gateway: healthy now, and total (ENGINE_URLS).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'healthy' }, endpoints.filter((e) => e.healthy).length);
      this.set({ state: 'total' }, endpoints.length);
    },
  });
}
