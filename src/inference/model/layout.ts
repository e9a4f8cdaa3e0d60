import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isDirectory, isFile } from '../../util/path-kind.js';
import { ModelError } from './errors.js';
import { idList, type JsonObject, numberField, objectField, stringField } from './json-file.js';
import { readModelJson } from './model-files.js';
import { type Dtype, dtypeOfFileName } from './variants.js';

/** Name patterns a layout may declare (`%d` is the layer); the session's metadata has the last word. */
export interface NameHints {
  inputIds?: string;
  attentionMask?: string;
  positionIds?: string;
  pastKey?: string;
  pastValue?: string;
  /** Key and value stacked in one tensor per layer (legacy GPT-2 exports). */
  past?: string;
  logits?: string;
  presentKey?: string;
  presentValue?: string;
  present?: string;
}

export interface ModelLayout {
  dir: string;
  kind: 'hf' | 'genai';
  modelType: string;
  /** Graph files by dtype (HF layout; empty for genai). */
  graphs: Partial<Record<Dtype, string>>;
  /** The genai layout names one graph file; its dtype is whatever the export used. */
  graph?: string;
  /**
   * Embedding graphs by dtype (`onnx/embed_tokens*.onnx`), when the decoder takes `inputs_embeds`
   * (Qwen3.5 and other multimodal exports of onnx-community).
   */
  embedGraphs: Partial<Record<Dtype, string>>;
  /** config.json's (or genai_config.json's) `layer_types`: a hint; the graph's inputs decide. */
  layerTypes?: string[];
  contextLength?: number;
  vocabSize?: number;
  numLayers?: number;
  numKvHeads?: number;
  headDim?: number;
  bosTokenId?: number;
  eosTokenIds: number[];
  padTokenId?: number;
  names: NameHints;
  /** Sampling defaults the model's authors recommend (generation_config.json). */
  generation: JsonObject;
}

/** Graph base names, preferred first: current Optimum/onnx-community exports, then the older merged one. */
const GRAPH_BASES = ['model', 'decoder_model_merged'];

function graphsOf(onnxDir: string, files: readonly string[], base: string): Partial<Record<Dtype, string>> {
  const graphs: Partial<Record<Dtype, string>> = {};
  for (const file of files) {
    const dtype = dtypeOfFileName(file, base);
    if (dtype !== undefined) graphs[dtype] = join(onnxDir, file);
  }
  return graphs;
}

async function listGraphs(onnxDir: string): Promise<Partial<Record<Dtype, string>>> {
  const files = await readdir(onnxDir);
  for (const base of GRAPH_BASES) {
    const graphs = graphsOf(onnxDir, files, base);
    if (Object.keys(graphs).length > 0) return graphs;
  }
  return {};
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function pattern(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function readHf(dir: string): Promise<ModelLayout> {
  const config = await readModelJson(join(dir, 'config.json'), false);
  const generation = (await readModelJson(join(dir, 'generation_config.json'), true)) ?? {};
  const text = objectField(config, 'text_config') ?? config;
  const heads = numberField(text, 'num_attention_heads', 'n_head');
  const hidden = numberField(text, 'hidden_size', 'n_embd');
  const graphs = await listGraphs(join(dir, 'onnx'));
  if (Object.keys(graphs).length === 0) {
    throw new ModelError(
      'missing_file',
      `${join(dir, 'onnx')} holds no model graph (expected onnx/model.onnx or onnx/model_<dtype>.onnx).`,
    );
  }
  const eos = idList(generation.eos_token_id);
  return {
    dir,
    kind: 'hf',
    modelType: stringField(config, 'model_type') ?? 'unknown',
    graphs,
    embedGraphs: graphsOf(join(dir, 'onnx'), await readdir(join(dir, 'onnx')), 'embed_tokens'),
    layerTypes: stringList(text.layer_types),
    contextLength: numberField(text, 'max_position_embeddings', 'n_positions', 'max_sequence_length'),
    vocabSize: numberField(text, 'vocab_size'),
    numLayers: numberField(text, 'num_hidden_layers', 'n_layer'),
    numKvHeads: numberField(text, 'num_key_value_heads') ?? heads,
    headDim:
      numberField(text, 'head_dim') ??
      (heads !== undefined && hidden !== undefined ? hidden / heads : undefined),
    bosTokenId: numberField(generation, 'bos_token_id') ?? numberField(config, 'bos_token_id'),
    eosTokenIds: eos.length > 0 ? eos : idList(config.eos_token_id),
    padTokenId: numberField(generation, 'pad_token_id') ?? numberField(config, 'pad_token_id'),
    names: {},
    generation,
  };
}

async function readGenai(dir: string): Promise<ModelLayout> {
  const genai = await readModelJson(join(dir, 'genai_config.json'), false);
  const model = objectField(genai, 'model');
  const decoder = objectField(model, 'decoder');
  const file = stringField(decoder, 'filename');
  if (model === undefined || decoder === undefined || file === undefined) {
    throw new ModelError('bad_file', `${join(dir, 'genai_config.json')} lacks model.decoder.filename.`);
  }
  if (!(await isFile(join(dir, file)))) {
    throw new ModelError('missing_file', `${join(dir, file)} (named by genai_config.json) is missing.`);
  }
  const inputs = objectField(decoder, 'inputs');
  const outputs = objectField(decoder, 'outputs');
  const search = objectField(genai, 'search');
  const eos = idList(model.eos_token_id);
  return {
    dir,
    kind: 'genai',
    modelType: stringField(model, 'type') ?? 'unknown',
    graphs: {},
    graph: join(dir, file),
    embedGraphs: {},
    layerTypes: stringList(decoder.layer_types),
    contextLength: numberField(model, 'context_length') ?? numberField(search, 'max_length'),
    vocabSize: numberField(model, 'vocab_size'),
    numLayers: numberField(decoder, 'num_hidden_layers'),
    numKvHeads: numberField(decoder, 'num_key_value_heads'),
    headDim: numberField(decoder, 'head_size'),
    bosTokenId: numberField(model, 'bos_token_id'),
    eosTokenIds: eos,
    padTokenId: numberField(model, 'pad_token_id'),
    names: {
      inputIds: pattern(inputs?.input_ids),
      attentionMask: pattern(inputs?.attention_mask),
      positionIds: pattern(inputs?.position_ids),
      pastKey: pattern(inputs?.past_key_names),
      pastValue: pattern(inputs?.past_value_names),
      past: pattern(inputs?.past_names),
      logits: pattern(outputs?.logits),
      presentKey: pattern(outputs?.present_key_names),
      presentValue: pattern(outputs?.present_value_names),
      present: pattern(outputs?.present_names),
    },
    generation: objectField(genai, 'search') ?? {},
  };
}

/** Reads a model directory's layout from its files: onnxruntime-genai or Hugging Face / onnx-community. */
export async function readModelLayout(dir: string): Promise<ModelLayout> {
  if (!(await isDirectory(dir))) throw new ModelError('not_found', `Model directory ${dir} does not exist.`);
  const files = await readdir(dir);
  if (files.includes('genai_config.json')) return readGenai(dir);
  if (files.includes('config.json') && (await isDirectory(join(dir, 'onnx')))) return readHf(dir);
  throw new ModelError(
    'unknown_layout',
    `${dir} is not a model directory teambot can read: expected genai_config.json (onnxruntime-genai) ` +
      `or config.json with an onnx/ folder (Hugging Face / onnx-community). It holds: ${
        files.length === 0 ? 'nothing' : files.slice(0, 12).join(', ')
      }.`,
  );
}
