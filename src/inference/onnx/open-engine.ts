import type { Dtype } from '../model/variants.js';
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
}

/** Tokens per prefill step unless configured: bounds the logits buffer and keeps steps short. */
export const DEFAULT_PREFILL_CHUNK = 512;

/** Loads the model in `dir` and wraps it in the local engine. */
export async function openOnnxEngine(dir: string, options: OpenEngineOptions): Promise<OnnxEngine> {
  const model = await loadModel(dir, {
    device: options.device,
    dtype: options.dtype,
    threads: options.threads,
    spin: options.spin,
  });
  return new OnnxEngine(model, {
    name: options.name,
    contextLength: options.contextLength,
    defaults: options.defaults,
  });
}
