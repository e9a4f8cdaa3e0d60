import { estimateMessageTokens, estimateTextTokens } from '../estimate.js';
import { createGeneration } from '../generation.js';
import type { GenerateRequest, GenerateResult, Generation, InferenceEngine } from '../types.js';
import { WrappedEngine } from '../wrapped-engine.js';
import { isDeterministic } from './key.js';
import type { ResponseCache } from './store.js';

export interface CachedEngineOptions {
  cache: ResponseCache;
  /** Told of every lookup (for /metrics). */
  onLookup?: (result: 'hit' | 'miss') => void;
}

/**
 * Puts the response cache in front of an engine: a deterministic request whose answer is cached is
 * replayed as a Generation without touching the engine; other answers are stored once complete.
 * Errors and cancelled answers are never cached; non-deterministic requests pass straight through.
 */
export class CachedEngine extends WrappedEngine {
  constructor(
    inner: InferenceEngine,
    private readonly options: CachedEngineOptions,
  ) {
    super(inner);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    if (!isDeterministic(request)) return this.inner.generate(request, signal);
    const model = this.inner.info().model;
    const cancelled = (text: string): GenerateResult => ({
      text,
      finishReason: 'cancelled',
      usage: {
        promptTokens: estimateMessageTokens(request.messages),
        completionTokens: estimateTextTokens(text),
      },
      model,
    });
    return createGeneration((abort) => this.run(request, model, abort), { signal, cancelled });
  }

  private async *run(
    request: GenerateRequest,
    model: string,
    signal: AbortSignal,
  ): AsyncGenerator<string, GenerateResult, undefined> {
    const { cache, onLookup } = this.options;
    const key = cache.keyOf(model, request);
    const hit = await cache.get(key);
    onLookup?.(hit === undefined ? 'miss' : 'hit');
    if (hit !== undefined) {
      if (hit.text !== '') yield hit.text;
      return { ...hit, cached: true };
    }
    const generation = this.inner.generate(request, signal);
    for await (const chunk of generation) yield chunk;
    const result = await generation.result;
    if (result.finishReason !== 'cancelled' && !signal.aborted) await cache.put(key, result);
    return result;
  }
}
