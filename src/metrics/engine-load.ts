import { Gauge, type Registry } from 'prom-client';

/** What an engine reports about its rows (the shape of the engine's `load()`). */
export interface RowLoad {
  running: number;
  waiting: number;
  tokensInFlight: number;
  capacity: number;
}

/**
 * The engine's rows at scrape time: `teambot_engine_rows{state="running|capacity"}` and
 * `teambot_engine_tokens_in_flight`. On an inference worker this is its own load (the per-worker
 * load panel); on a gateway over workers, the sum over the healthy ones. Nothing is exported for an
 * engine that does not know its load (a remote OpenAI-compatible server).
 */
export function reportEngineLoad(registry: Registry, load: () => RowLoad | undefined): void {
  new Gauge({
    name: 'teambot_engine_tokens_in_flight',
    help: 'Prompt plus answer budget of the running rows, in tokens.',
    registers: [registry],
    collect() {
      const now = load();
      if (now !== undefined) this.set(now.tokensInFlight);
    },
  });
  new Gauge({
    name: 'teambot_engine_rows',
    help: 'Rows of the engine: running (generating now) and capacity (rows one decode step takes at most).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const now = load();
      if (now === undefined) return;
      this.set({ state: 'running' }, now.running);
      this.set({ state: 'capacity' }, now.capacity);
    },
  });
}
