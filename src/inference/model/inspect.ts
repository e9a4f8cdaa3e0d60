import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { loadModel } from '../onnx/load-model.js';
import type { TensorMeta } from './io-spec.js';
import { readModelLayout } from './layout.js';
import { layerKinds } from './state-spec.js';
import { type Dtype, isExternalDataOf } from './variants.js';

export interface VariantInfo {
  dtype: Dtype | 'single';
  file: string;
  /** The graph plus its external data files. */
  sizeBytes: number;
}

export interface ModelInspection {
  dir: string;
  layout: 'hf' | 'genai';
  modelType: string;
  contextLength?: number;
  vocabSize: number;
  variants: VariantInfo[];
  loaded: { file: string; dtype?: Dtype; device: string };
  inputs: TensorMeta[];
  outputs: TensorMeta[];
  kvCache: {
    layout: 'separate' | 'stacked';
    dtype: string;
    layers: number;
    kvHeads: number;
    headDim: number;
  };
  /** Per decoder layer, what the graph keeps for it: 'attention' (KV), 'conv', 'conv+recurrent', ... */
  layers: string[];
  /** config's layer_types, when it gives them (a hint; `layers` is what the graph says). */
  layerTypes?: string[];
  /** The hybrid layers' fixed-size states, per row (the batch axis left out). */
  states: { name: string; layer: number; kind: string; dtype: string; shape: number[] }[];
  /** The embedding graph in front of a decoder that takes inputs_embeds. */
  embedGraph?: string;
  tokenizer: { size: number; chatTemplate: boolean; eosTokenIds: number[] };
  /** A vision-language model's encoder and image processing (it looks at images). */
  vision?: { encoder: string; patchSize: number; mergeSize: number; minPixels: number; maxPixels: number };
}

function relativeName(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

async function graphSize(path: string): Promise<number> {
  const name = basename(path);
  const folder = dirname(path);
  let total = (await stat(path)).size;
  for (const file of await readdir(folder)) {
    if (isExternalDataOf(file, name)) total += (await stat(join(folder, file))).size;
  }
  return total;
}

function meta(
  list: readonly { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }[],
) {
  return list.map((m) => ({ name: m.name, type: m.type ?? 'non-tensor', shape: m.shape ?? [] }));
}

/** What `teambot model inspect` prints: the detected layout, variants, graph IO and KV cache shape. */
export async function inspectModel(dir: string, dtype: Dtype | 'auto' = 'auto'): Promise<ModelInspection> {
  const layout = await readModelLayout(dir);
  const graphs: [Dtype | 'single', string][] =
    layout.graph === undefined
      ? (Object.entries(layout.graphs) as [Dtype, string][])
      : [['single', layout.graph]];
  const variants = await Promise.all(
    graphs.map(async ([d, path]) => ({
      dtype: d,
      file: relativeName(layout.dir, path),
      sizeBytes: await graphSize(path),
    })),
  );
  const model = await loadModel(dir, { device: 'cpu', dtype });
  try {
    const { session } = model.opened;
    const { kv } = model.spec;
    return {
      dir,
      layout: layout.kind,
      modelType: layout.modelType,
      contextLength: model.contextLength,
      vocabSize: model.vocabSize,
      variants,
      loaded: {
        file: relativeName(layout.dir, model.opened.graph.path),
        dtype: model.opened.graph.dtype,
        device: model.opened.device,
      },
      inputs: meta(session.inputMetadata),
      outputs: meta(session.outputMetadata),
      kvCache: {
        layout: kv.kind,
        dtype: kv.type,
        layers: kv.layers.length,
        kvHeads: kv.numKvHeads,
        headDim: kv.headDim,
      },
      layers: layerKinds(kv.indices, model.spec.states),
      layerTypes: layout.layerTypes,
      states: model.spec.states.map((st) => ({
        name: st.past,
        layer: st.layer,
        kind: st.kind,
        dtype: st.type,
        shape: [...st.dims],
      })),
      embedGraph:
        model.opened.graph.embed === undefined
          ? undefined
          : relativeName(layout.dir, model.opened.graph.embed),
      vision:
        model.vision === undefined
          ? undefined
          : {
              encoder: relativeName(layout.dir, model.vision.encoderPath),
              patchSize: model.vision.config.processing.patchSize,
              mergeSize: model.vision.config.processing.mergeSize,
              minPixels: model.vision.config.processing.minPixels,
              maxPixels: model.vision.config.processing.maxPixels,
            },
      tokenizer: {
        size: model.tokenizer.tokenizer.size,
        chatTemplate: model.tokenizer.chatTemplate !== undefined,
        eosTokenIds: [...model.eosIds],
      },
    };
  } finally {
    await model.opened.session.release();
    await model.vision?.release();
  }
}
