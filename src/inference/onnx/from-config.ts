import type { Config } from '../../config/schema.js';
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
>;

/** Opens a resolved model with the engine settings from config (the server's and the CLI's way). */
export function openLocalEngine(config: LocalEngineConfig, resolved: ResolvedModel): Promise<OnnxEngine> {
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
  });
}
