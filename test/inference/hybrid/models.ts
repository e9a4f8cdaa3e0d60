import { fileURLToPath } from 'node:url';
import { type DemoArch, ensureDemoModel } from '../../../src/inference/demo/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A generated tiny model of `arch` (onnx-community layout), cached under .cache/ between runs. */
export function generatedModelDir(arch: DemoArch): Promise<string> {
  return ensureDemoModel({ size: 'tiny', arch, cacheDir: `${ROOT}.cache/demo-models` });
}
