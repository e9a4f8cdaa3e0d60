import { loadModel } from '../onnx/load-model.js';
import type { OpenEngineOptions } from '../onnx/open-engine.js';
import { BatchedEngine } from './engine.js';
import type { BatchMetrics } from './metrics.js';
import { type BatchSettings, DEFAULT_BATCH_SETTINGS } from './settings.js';

export interface OpenBatchedOptions extends OpenEngineOptions {
  batch?: Partial<BatchSettings>;
  metrics?: BatchMetrics;
  clock?: () => number;
}

/** Loads the model in `dir` and wraps it in the batching engine. */
export async function openBatchedEngine(dir: string, options: OpenBatchedOptions): Promise<BatchedEngine> {
  const model = await loadModel(dir, {
    device: options.device,
    dtype: options.dtype,
    threads: options.threads,
    spin: options.spin,
    // Decode steps fetch only their new KV positions (the cache keeps the rest) where the graph allows.
    tailOutputs: true,
  });
  return new BatchedEngine(model, {
    name: options.name,
    contextLength: options.contextLength,
    defaults: options.defaults,
    batch: { ...DEFAULT_BATCH_SETTINGS, ...options.batch },
    metrics: options.metrics,
    clock: options.clock,
  });
}
