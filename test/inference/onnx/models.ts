import { fileURLToPath } from 'node:url';
import { ensureDemoModel } from '../../../src/inference/demo/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The shared real exports (see ../shared/fixtures/README.md). */
export const GPT2_FIXTURE = `${ROOT}../shared/fixtures/models/tiny-random-gpt2-fp32`;
export const QWEN_FIXTURE = `${ROOT}../shared/fixtures/models/tiny-qwen35-fp16`;

/** The generated tiny Llama (onnx-community layout), cached under .cache/ between runs. */
export function demoModelDir(): Promise<string> {
  return ensureDemoModel({ size: 'tiny', cacheDir: `${ROOT}.cache/demo-models` });
}
