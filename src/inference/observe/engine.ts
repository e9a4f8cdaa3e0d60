import type { GenerateRequest, GenerateResult, Generation, InferenceEngine } from '../types.js';
import { WrappedEngine } from '../wrapped-engine.js';
import type { InferenceMetrics } from './metrics.js';

type Observer = Pick<InferenceMetrics, 'generated' | 'firstToken' | 'interToken' | 'queued'>;

const seconds = (from: number) => (performance.now() - from) / 1000;

/**
 * Measures an engine's generations: time to the first chunk, time between chunks, and the
 * wait for a row of a local engine, and the
 * completion tokens of every generation that ended (cancelled ones included: they were computed;
 * answers replayed from the response cache not: nothing was generated).
 */
export class MeteredEngine extends WrappedEngine {
  constructor(
    inner: InferenceEngine,
    private readonly metrics: Observer,
  ) {
    super(inner);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    const started = performance.now();
    const generation = this.inner.generate(request, signal);
    const label = this.inner.info().name;
    const { metrics } = this;
    const result: Promise<GenerateResult> = generation.result.then((r) => {
      if (r.cached !== true) metrics.generated(label, r.usage.completionTokens);
      const queuedMs = r.timings?.queuedMs;
      if (queuedMs !== undefined) metrics.queued(label, queuedMs / 1000);
      return r;
    });
    result.catch(() => {});
    return {
      result,
      async *[Symbol.asyncIterator]() {
        let last: number | undefined;
        for await (const chunk of generation) {
          if (last === undefined) metrics.firstToken(label, seconds(started));
          else metrics.interToken(label, seconds(last));
          last = performance.now();
          yield chunk;
        }
      },
    };
  }
}
