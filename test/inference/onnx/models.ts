import { fileURLToPath } from 'node:url';
import { ensureDemoModel } from '../../../src/inference/demo/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Real exports from outside the project (see test/fixtures/external-models/README.md). */
export const GPT2_FIXTURE = `${ROOT}test/fixtures/external-models/tiny-random-gpt2-fp32`;
export const QWEN_FIXTURE = `${ROOT}test/fixtures/external-models/tiny-qwen35-fp16`;
/** onnxruntime-genai's hybrid LFM2 export: conv states in layers 0 and 2, attention in 1 and 3. */
export const LFM2_FIXTURE = `${ROOT}test/fixtures/external-models/tiny-random-lfm2-fp32`;

/** The generated tiny Llama (onnx-community layout), cached under .cache/ between runs. */
export function demoModelDir(): Promise<string> {
  return ensureDemoModel({ size: 'tiny', cacheDir: `${ROOT}.cache/demo-models` });
}
