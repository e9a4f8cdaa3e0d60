/** Writes a complete demo model directory in the onnx-community layout. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelDef } from '../onnx-proto/onnx-proto.js';
import { buildGenerationConfig, buildModelConfig } from './config-files.js';
import { buildEmbedModel } from './embed-graph.js';
import { buildHybridConfig, QWEN25VL_TEMPLATE, QWEN35_TEMPLATE, VISION_TOKENS } from './hybrid-config.js';
import { fp32Linear, type LinearEmitter, q4Linear } from './linear.js';
import { buildLlamaModel } from './llama-graph.js';
import { takesEmbeddings } from './llama-io.js';
import { mixerWeights } from './mixer-weights.js';
import { writeOnnxModel } from './onnx-file.js';
import { type DemoSpec, validateSpec } from './spec.js';
import { buildDemoTokenizer } from './tokenizer-files.js';
import { buildPreprocessorConfig, buildVisionModel } from './vision-graph.js';
import { generateDemoWeights } from './weights.js';

/** Initializers of at least this many bytes go to `<model>.onnx_data` (like onnx's default 1 KiB). */
export const EXTERNAL_DATA_THRESHOLD = 1024;

export const ONNX_VARIANTS = [
  { file: 'model.onnx', dtype: 'fp32' },
  { file: 'model_q4.onnx', dtype: 'q4' },
] as const;

/** The graph files of one dtype: Qwen3.5's layout splits off the embedding (onnx-community's names). */
type GraphPart = 'decoder' | 'embed' | 'vision';

function graphFiles(spec: DemoSpec, dtype: 'fp32' | 'q4'): { file: string; part: GraphPart }[] {
  const suffix = dtype === 'fp32' ? '' : `_${dtype}`;
  if (!takesEmbeddings(spec)) return [{ file: `model${suffix}.onnx`, part: 'decoder' }];
  return [
    { file: `embed_tokens${suffix}.onnx`, part: 'embed' },
    { file: `decoder_model_merged${suffix}.onnx`, part: 'decoder' },
    { file: `vision_encoder${suffix}.onnx`, part: 'vision' },
  ];
}

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
  const tokenizer = buildDemoTokenizer(spec, takesEmbeddings(spec) ? VISION_TOKENS : []);
  if (spec.arch === 'qwen3_5') tokenizer.tokenizerConfig.chat_template = QWEN35_TEMPLATE;
  if (spec.arch === 'qwen2_5_vl') tokenizer.tokenizerConfig.chat_template = QWEN25VL_TEMPLATE;
  await save('tokenizer.json', jsonText(tokenizer.tokenizerJson));
  await save('tokenizer_config.json', jsonText(tokenizer.tokenizerConfig));

  onProgress?.(`demo model (${spec.size}, seed ${seed}): weights`);
  const weights = generateDemoWeights(spec, seed);
  const mixers = spec.layerTypes.map((_, i) => mixerWeights(spec, seed, i));
  const withData: string[] = [];
  for (const { dtype } of ONNX_VARIANTS) {
    const quantized = dtype === 'q4';
    const linear: LinearEmitter = quantized ? q4Linear(spec.q4BlockSize) : fp32Linear;
    for (const { file, part } of graphFiles(spec, dtype)) {
      onProgress?.(`demo model (${spec.arch} ${spec.size}, seed ${seed}): onnx/${file}`);
      const model: ModelDef =
        part === 'embed'
          ? buildEmbedModel(spec, weights)
          : part === 'vision'
            ? buildVisionModel(spec, seed, linear, quantized)
            : buildLlamaModel(spec, weights, linear, quantized, mixers);
      const written = await writeOnnxModel(join(dir, 'onnx'), file, model, {
        externalThreshold: EXTERNAL_DATA_THRESHOLD,
      });
      files[`onnx/${file}`] = written.modelBytes;
      if (written.dataPath) {
        files[`onnx/${file}_data`] = written.dataBytes;
        withData.push(file);
      }
    }
  }
  const config =
    spec.arch === 'llama'
      ? buildModelConfig(spec, tokenizer.special, withData)
      : buildHybridConfig(spec, tokenizer.special, withData);
  await save('config.json', jsonText(config));
  if (takesEmbeddings(spec)) await save('preprocessor_config.json', jsonText(buildPreprocessorConfig(spec)));
  await save('generation_config.json', jsonText(buildGenerationConfig(tokenizer.special)));
  return { dir, files };
}
