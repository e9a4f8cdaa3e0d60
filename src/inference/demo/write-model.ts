/** Writes a complete demo model directory in the onnx-community layout. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildGenerationConfig, buildModelConfig } from './config-files.js';
import { fp32Linear, type LinearEmitter, q4Linear } from './linear.js';
import { buildLlamaModel } from './llama-graph.js';
import { writeOnnxModel } from './onnx-file.js';
import { type DemoSpec, validateSpec } from './spec.js';
import { buildDemoTokenizer } from './tokenizer-files.js';
import { generateDemoWeights } from './weights.js';

/** Initializers of at least this many bytes go to `<model>.onnx_data` (like onnx's default 1 KiB). */
export const EXTERNAL_DATA_THRESHOLD = 1024;

export const ONNX_VARIANTS = [
  { file: 'model.onnx', dtype: 'fp32' },
  { file: 'model_q4.onnx', dtype: 'q4' },
] as const;

export interface WrittenDemoModel {
  dir: string;
  /** Relative path -> size in bytes, for every file written. */
  files: Record<string, number>;
}

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function writeDemoModel(
  dir: string,
  spec: DemoSpec,
  seed: number,
  onProgress?: (message: string) => void,
): Promise<WrittenDemoModel> {
  validateSpec(spec);
  const files: Record<string, number> = {};
  const save = async (relative: string, text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    await writeFile(join(dir, relative), bytes);
    files[relative] = bytes.length;
  };
  await mkdir(join(dir, 'onnx'), { recursive: true });

  onProgress?.(`demo model (${spec.size}, seed ${seed}): tokenizer`);
  const tokenizer = buildDemoTokenizer(spec);
  await save('tokenizer.json', jsonText(tokenizer.tokenizerJson));
  await save('tokenizer_config.json', jsonText(tokenizer.tokenizerConfig));

  onProgress?.(`demo model (${spec.size}, seed ${seed}): weights`);
  const weights = generateDemoWeights(spec, seed);
  const withData: string[] = [];
  for (const variant of ONNX_VARIANTS) {
    onProgress?.(`demo model (${spec.size}, seed ${seed}): onnx/${variant.file}`);
    const quantized = variant.dtype === 'q4';
    const linear: LinearEmitter = quantized ? q4Linear(spec.q4BlockSize) : fp32Linear;
    const model = buildLlamaModel(spec, weights, linear, quantized);
    const written = await writeOnnxModel(join(dir, 'onnx'), variant.file, model, {
      externalThreshold: EXTERNAL_DATA_THRESHOLD,
    });
    files[`onnx/${variant.file}`] = written.modelBytes;
    if (written.dataPath) {
      files[`onnx/${variant.file}_data`] = written.dataBytes;
      withData.push(variant.file);
    }
  }
  await save('config.json', jsonText(buildModelConfig(spec, tokenizer.special, withData)));
  await save('generation_config.json', jsonText(buildGenerationConfig(tokenizer.special)));
  return { dir, files };
}
