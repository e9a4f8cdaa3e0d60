import { Command, Option } from 'commander';
import { formatBytes } from '../inference/hub/format-bytes.js';
import { inspectModel, type ModelInspection } from '../inference/model/inspect.js';
import { DTYPES, type Dtype } from '../inference/model/variants.js';
import { errorMessage } from '../util/error-message.js';
import type { ModelCommandIo } from './model-command.js';

interface InspectFlags {
  dtype?: Dtype;
  json?: boolean;
}

function shape(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

/** The inspection as aligned, human-readable lines. */
export function formatInspection(info: ModelInspection): string {
  const lines = [
    `directory       ${info.dir}`,
    `layout          ${info.layout === 'hf' ? 'Hugging Face / onnx-community' : 'onnxruntime-genai'} (model_type ${info.modelType})`,
    `context length  ${info.contextLength ?? 'not stated'}`,
    `vocabulary      ${info.vocabSize} (tokenizer: ${info.tokenizer.size} tokens, chat template: ${info.tokenizer.chatTemplate ? 'yes' : 'no'}, eos ${info.tokenizer.eosTokenIds.join(', ')})`,
    `kv cache        ${info.kvCache.layers} layers, ${info.kvCache.layout}, ${info.kvCache.dtype}, ${info.kvCache.kvHeads} kv heads x ${info.kvCache.headDim}`,
    `layers          ${info.layers.map((kind, i) => `${i}:${kind}`).join(' ')}`,
    ...(info.states.length === 0
      ? []
      : [
          'states (per row, no sequence axis)',
          ...info.states.map((st) => `  ${st.name.padEnd(32)}${st.dtype.padEnd(9)}${shape(st.shape)}`),
        ]),
    ...(info.embedGraph === undefined
      ? []
      : [`embeddings      ${info.embedGraph} (the decoder takes inputs_embeds)`]),
    ...(info.vision === undefined
      ? []
      : [
          `vision          ${info.vision.encoder}: ${info.vision.patchSize}-pixel patches merged ${info.vision.mergeSize}x${info.vision.mergeSize}, ${info.vision.minPixels}-${info.vision.maxPixels} pixels per image`,
        ]),
    'variants',
    ...info.variants.map((v) => `  ${v.dtype.padEnd(10)}${v.file.padEnd(36)}${formatBytes(v.sizeBytes)}`),
    `inputs (${info.loaded.file}${info.loaded.dtype ? `, ${info.loaded.dtype}` : ''})`,
    ...info.inputs.map((m) => `  ${m.name.padEnd(32)}${m.type.padEnd(9)}${shape(m.shape)}`),
    'outputs',
    ...info.outputs.map((m) => `  ${m.name.padEnd(32)}${m.type.padEnd(9)}${shape(m.shape)}`),
  ];
  return lines.join('\n');
}

export function inspectSubcommand(io: ModelCommandIo): Command {
  return new Command('inspect')
    .description('show a model directory: layout, variants, graph inputs/outputs with dtypes, context length')
    .argument('<dir>', 'a model directory')
    .addOption(
      new Option('--dtype <dtype>', 'the variant whose graph to open (default: the CPU default)').choices(
        DTYPES,
      ),
    )
    .option('--json', 'print JSON')
    .action(async (dir: string, flags: InspectFlags) => {
      try {
        const info = await inspectModel(dir, flags.dtype ?? 'auto');
        io.stdout.write(`${flags.json === true ? JSON.stringify(info, null, 2) : formatInspection(info)}\n`);
      } catch (error) {
        io.stderr.write(`teambot model inspect: ${errorMessage(error)}\n`);
        io.setExitCode(1);
      }
    });
}
