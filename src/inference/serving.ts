import type { Config } from '../config/schema.js';
import type { KeyValueStore } from '../storage/kv/types.js';
import { tracingOn } from '../tracing/state.js';
import { CachedEngine } from './cache/engine.js';
import { ResponseCache } from './cache/store.js';
import { createEngine, type EngineConfig, type EngineDeps } from './factory.js';
import { MeteredEngine } from './observe/engine.js';
import type { InferenceMetrics } from './observe/metrics.js';
import { TracedEngine } from './observe/traced-engine.js';
import type { InferenceEngine } from './types.js';
import { gateImages } from './vision/sight.js';

export type ServingConfig = EngineConfig &
  Pick<Config, 'RESPONSE_CACHE' | 'RESPONSE_CACHE_TTL_S' | 'RESPONSE_CACHE_MAX_ENTRIES'>;

/**
 * The engine `serve` and `chat` use: metrics(trace(cache(chain or single engine))), the trace only
 * when tracing is on. The cache sits in
 * front of the chain, and the chain asks it for an answer when a backend keeps timing out.
 */
export async function createServingEngine(
  config: ServingConfig,
  kv: KeyValueStore,
  metrics: InferenceMetrics,
  deps: EngineDeps = {},
): Promise<InferenceEngine> {
  const cache = config.RESPONSE_CACHE
    ? new ResponseCache({
        kv,
        ttlMs: config.RESPONSE_CACHE_TTL_S * 1000,
        maxEntries: config.RESPONSE_CACHE_MAX_ENTRIES,
        logger: deps.logger,
      })
    : undefined;
  // Images never reach an engine that does not see (chain members are gated one by one).
  const built = await createEngine(config, {
    ...deps,
    cachedAnswer: cache === undefined ? undefined : (model, request) => cache.lookup(model, request),
    onBreakerState: (backend, state) => metrics.breakerState(backend, state),
  });
  const base = gateImages(built);
  const cached =
    cache === undefined ? base : new CachedEngine(base, { cache, onLookup: (r) => metrics.cacheLookup(r) });
  // Traced only when tracing is on: otherwise not even a no-op span per generation.
  return new MeteredEngine(tracingOn() ? new TracedEngine(cached) : cached, metrics);
}
