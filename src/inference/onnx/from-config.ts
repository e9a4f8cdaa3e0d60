import type { Config } from '../../config/schema.js';
import type { BatchMetrics } from '../batching/metrics.js';
import type { ResolvedModel } from '../resolve-model.js';
import type { OnnxEngine } from './engine.js';
import { DEFAULT_PREFILL_CHUNK, openOnnxEngine } from './open-engine.js';

export type LocalEngineConfig = Pick<
  Config,
  | 'INFERENCE_DEVICE'
  | 'MODEL_DTYPE'
  | 'INFERENCE_THREADS'
  | 'INFERENCE_SPIN'
  | 'CONTEXT_LENGTH'
  | 'MAX_NEW_TOKENS'
  | 'TEMPERATURE'
  | 'BATCH_MAX_SIZE'
  | 'BATCH_MAX_WAITING'
  | 'BATCH_MAX_TOKENS_IN_FLIGHT'
  | 'BATCH_PER_USER_MAX'
> &
  // Optional: callers that leave them out (tests, benches) get the default video budget and no prefix cache.
  Partial<Pick<Config, 'VISION_VIDEO_TOKENS' | 'PREFIX_CACHE_BYTES'>>;

const LOCAL_ENGINE_KEYS = [
  'INFERENCE_DEVICE',
  'MODEL_DTYPE',
  'INFERENCE_THREADS',
  'INFERENCE_SPIN',
  'CONTEXT_LENGTH',
  'MAX_NEW_TOKENS',
  'TEMPERATURE',
  'BATCH_MAX_SIZE',
  'BATCH_MAX_WAITING',
  'BATCH_MAX_TOKENS_IN_FLIGHT',
  'BATCH_PER_USER_MAX',
  'VISION_VIDEO_TOKENS',
  'PREFIX_CACHE_BYTES',
] as const satisfies readonly (keyof LocalEngineConfig)[];

/** Just the local engine's settings (what an engine thread is handed: plain values, no secrets). */
export function localEngineSettings(config: LocalEngineConfig): LocalEngineConfig {
  return Object.fromEntries(LOCAL_ENGINE_KEYS.map((key) => [key, config[key]])) as LocalEngineConfig;
}

/**
 * Opens a resolved model with the engine settings from config (the server's and the CLI's):
 * openOnnxEngine with the BATCH_* settings (BATCH_MAX_SIZE=1 runs one generation at a time).
 */
export function openLocalEngine(
  config: LocalEngineConfig,
  resolved: Pick<ResolvedModel, 'dir' | 'name' | 'demo'>,
  metrics?: BatchMetrics,
): Promise<OnnxEngine> {
  return openOnnxEngine(resolved.dir, {
    name: resolved.name,
    device: config.INFERENCE_DEVICE,
    // The demo model ships fp32 and q4; its q4 is slower on CPU (exact MatMulNBits), so prefer fp32.
    dtype: resolved.demo ? 'fp32' : config.MODEL_DTYPE,
    threads: config.INFERENCE_THREADS,
    spin: config.INFERENCE_SPIN,
    contextLength: config.CONTEXT_LENGTH,
    defaults: {
      maxNewTokens: config.MAX_NEW_TOKENS,
      temperature: config.TEMPERATURE,
      prefillChunk: DEFAULT_PREFILL_CHUNK,
    },
    batch: {
      maxBatchSize: config.BATCH_MAX_SIZE,
      maxWaiting: config.BATCH_MAX_WAITING,
      maxTokensInFlight: config.BATCH_MAX_TOKENS_IN_FLIGHT,
      perUserMax: config.BATCH_PER_USER_MAX,
    },
    vision:
      config.VISION_VIDEO_TOKENS === undefined ? undefined : { videoTokens: config.VISION_VIDEO_TOKENS },
    metrics,
    prefixCacheBytes: config.PREFIX_CACHE_BYTES ?? 0,
  });
}
