import type { BatchMetrics } from '../batching/metrics.js';
import { type BatchSettings, DEFAULT_BATCH_SETTINGS } from '../batching/settings.js';
import type { Dtype } from '../model/variants.js';
import type { VisionSettings } from '../vision/prompt.js';
import type { DeviceChoice } from './device.js';
import { OnnxEngine } from './engine.js';
import { loadModel } from './load-model.js';
import type { EngineDefaults } from './params.js';

export interface OpenEngineOptions {
  name: string;
  device: DeviceChoice;
  dtype: Dtype | 'auto';
  threads?: number;
  spin?: boolean;
  contextLength: number;
  defaults: EngineDefaults;
  /** The scheduler's settings over DEFAULT_BATCH_SETTINGS; maxBatchSize 1 runs one generation at a time. */
  batch?: Partial<BatchSettings>;
  metrics?: BatchMetrics;
  /** The clock of per-request deadlines (tests move it); performance.now() by default. */
  clock?: () => number;
  /** Pictures' budgets (vision-language models); DEFAULT_VIDEO_TOKENS unless given. */
  vision?: VisionSettings;
  /** Host memory for the prefix cache across requests (PREFIX_CACHE_BYTES); 0 or absent: none. */
  prefixCacheBytes?: number;
}

/** Tokens per prefill step unless configured: bounds the logits buffer and keeps steps short. */
export const DEFAULT_PREFILL_CHUNK = 512;

/** Loads the model in `dir` and wraps it in the local engine: the one way to open it. */
export async function openOnnxEngine(dir: string, options: OpenEngineOptions): Promise<OnnxEngine> {
  const model = await loadModel(dir, {
    device: options.device,
    dtype: options.dtype,
    threads: options.threads,
    spin: options.spin,
    // Decode steps fetch only their new KV positions (the cache keeps the rest) where the graph allows.
    tailOutputs: true,
  });
  return new OnnxEngine(model, {
    name: options.name,
    contextLength: options.contextLength,
    defaults: options.defaults,
    batch: { ...DEFAULT_BATCH_SETTINGS, ...options.batch },
    metrics: options.metrics,
    clock: options.clock,
    vision: options.vision,
    prefixCacheBytes: options.prefixCacheBytes,
  });
}
