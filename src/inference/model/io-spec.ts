import { ModelError } from './errors.js';
import type { NameHints } from './layout.js';
import { findStates, type StateLayer } from './state-spec.js';

/** What onnxruntime reports for one graph input or output. */
export interface TensorMeta {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

export type IntType = 'int32' | 'int64';
export type FloatType = 'float32' | 'float16';

export type KvLayers =
  | {
      kind: 'separate';
      layers: { pastKey: string; pastValue: string; presentKey: string; presentValue: string }[];
    }
  | { kind: 'stacked'; layers: { past: string; present: string }[] };

/** The names a KV layer feeds and fetches. */
function layerNames(layer: KvLayers['layers'][number]): string[] {
  return 'past' in layer
    ? [layer.past, layer.present]
    : [layer.pastKey, layer.pastValue, layer.presentKey, layer.presentValue];
}

/** How to feed and read one decoder graph, taken from the session's own metadata. */
export interface IoSpec {
  inputIds: { name: string; type: IntType };
  attentionMask?: { name: string; type: IntType };
  /** `rows` 3: multimodal rotary positions [3, batch, seq] (Qwen2-VL / Qwen3.5), one row per axis. */
  positionIds?: { name: string; type: IntType; rows?: number };
  /** Older merged exports switch between prefill and cached branches with a bool input. */
  useCacheBranch?: string;
  /** Newer exports compute logits only for the last N positions when given this int64 scalar. */
  logitsToKeep?: string;
  logits: { name: string; type: FloatType; vocabSize?: number };
  kv: KvLayers & {
    type: FloatType;
    numKvHeads: number;
    headDim: number;
    /** The decoder layer each entry of `layers` belongs to (hybrid graphs skip non-attention layers). */
    indices: number[];
  };
  /** Fixed-size per-row states of hybrid layers (conv, recurrent); empty for a plain decoder. */
  states: StateLayer[];
  /**
   * Set when the decoder takes embeddings, not ids: the decoder's input the embedding graph feeds
   * (the session that runs both still takes `inputIds`; see onnx/embedded-session.ts).
   */
  embedsInput?: string /** Outputs added at load time that hold only a step's new positions (see onnx/tail-outputs.ts). */;
  tails?: TailOutputs;
}

/** Names of the added outputs: each present's new positions, and the last position's logits. */
export interface TailOutputs {
  /** Present output name -> the output with only the step's new positions. */
  kv: ReadonlyMap<string, string>;
  /** The last position's logits; undefined when the graph already keeps only those (logits_to_keep). */
  logits?: string;
}

export interface IoHints extends NameHints {
  numKvHeads?: number;
  headDim?: number;
  vocabSize?: number;
}

const DEFAULT_SEPARATE: [string, string, string, string][] = [
  ['past_key_values.%d.key', 'past_key_values.%d.value', 'present.%d.key', 'present.%d.value'],
  ['past_key_%d', 'past_value_%d', 'present_key_%d', 'present_value_%d'],
];
const DEFAULT_STACKED: [string, string] = ['past_%d', 'present_%d'];

function regexOf(template: string): RegExp {
  const escaped = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('%d', '(\\d+)');
  return new RegExp(`^${escaped}$`);
}

/** Names matching `template` by layer index, or undefined when none match. */
function byLayer(names: readonly string[], template: string): Map<number, string> | undefined {
  const regex = regexOf(template);
  const found = new Map<number, string>();
  for (const name of names) {
    const match = regex.exec(name);
    if (match?.[1] !== undefined) found.set(Number(match[1]), name);
  }
  return found.size > 0 ? found : undefined;
}

/**
 * The names in layer order. A layer may be missing only when it holds a state instead (`covered`:
 * a hybrid's conv or linear-attention layers); any other gap is an export teambot cannot read.
 */
function layerList(found: Map<number, string>, what: string, covered: ReadonlySet<number>): string[] {
  const indices = [...found.keys()].sort((a, b) => a - b);
  const last = indices.at(-1) ?? -1;
  for (let i = 0; i <= last; i++) {
    if (!found.has(i) && !covered.has(i)) {
      throw new ModelError('unsupported_model', `The graph's ${what} skip layer ${i}.`);
    }
  }
  return indices.map((i) => found.get(i) as string);
}

function sameLayers(a: Map<number, string>, b: Map<number, string> | undefined): boolean {
  return b !== undefined && a.size === b.size && [...a.keys()].every((i) => b.has(i));
}

function intType(meta: TensorMeta, role: string): IntType {
  if (meta.type === 'int32' || meta.type === 'int64') return meta.type;
  throw new ModelError(
    'unsupported_model',
    `The graph's ${role} input "${meta.name}" is ${meta.type}; expected int32 or int64.`,
  );
}

function floatType(meta: TensorMeta, role: string): FloatType {
  if (meta.type === 'float32' || meta.type === 'float16') return meta.type;
  throw new ModelError(
    'unsupported_model',
    `The graph's ${role} "${meta.name}" is ${meta.type}; expected float32 or float16.`,
  );
}

function numericDim(value: number | string | undefined): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}

function findKv(
  inputs: readonly string[],
  outputs: readonly string[],
  hints: IoHints,
  covered: ReadonlySet<number>,
): KvLayers & { indices: number[] } {
  const separate: [string, string, string, string][] = [];
  if (hints.pastKey !== undefined && hints.pastValue !== undefined) {
    separate.push([
      hints.pastKey,
      hints.pastValue,
      hints.presentKey ?? 'present.%d.key',
      hints.presentValue ?? 'present.%d.value',
    ]);
  }
  separate.push(...DEFAULT_SEPARATE);
  for (const [pk, pv, ok, ov] of separate) {
    const pastKeys = byLayer(inputs, pk);
    const pastValues = byLayer(inputs, pv);
    if (pastKeys === undefined || pastValues === undefined) continue;
    const presentKeys = byLayer(outputs, ok);
    const presentValues = byLayer(outputs, ov);
    if (!sameLayers(pastKeys, pastValues)) {
      throw new ModelError(
        'unsupported_model',
        `The graph's past keys and values (${pk}, ${pv}) differ in layer count.`,
      );
    }
    if (!sameLayers(pastKeys, presentKeys) || !sameLayers(pastKeys, presentValues)) {
      throw new ModelError(
        'unsupported_model',
        `The graph takes ${pk} inputs but has no matching ${ok} outputs.`,
      );
    }
    const keys = layerList(pastKeys, 'past keys', covered);
    const values = layerList(pastValues, 'past values', covered);
    const outKeys = layerList(presentKeys as Map<number, string>, 'present keys', covered);
    const outValues = layerList(presentValues as Map<number, string>, 'present values', covered);
    return {
      kind: 'separate',
      indices: [...pastKeys.keys()].sort((a, b) => a - b),
      layers: keys.map((pastKey, i) => ({
        pastKey,
        pastValue: values[i] as string,
        presentKey: outKeys[i] as string,
        presentValue: outValues[i] as string,
      })),
    };
  }
  const [past, present] = [hints.past ?? DEFAULT_STACKED[0], hints.present ?? DEFAULT_STACKED[1]];
  const pasts = byLayer(inputs, past);
  const presents = byLayer(outputs, present);
  if (pasts !== undefined && !sameLayers(pasts, presents)) {
    throw new ModelError(
      'unsupported_model',
      `The graph takes ${[...pasts.values()].join(', ')} but has no matching ${present} outputs.`,
    );
  }
  if (pasts !== undefined && presents !== undefined) {
    const outs = layerList(presents, 'presents', covered);
    return {
      kind: 'stacked',
      indices: [...pasts.keys()].sort((a, b) => a - b),
      layers: layerList(pasts, 'pasts', covered).map((p, i) => ({ past: p, present: outs[i] as string })),
    };
  }
  throw new ModelError(
    'unsupported_model',
    `The graph has no KV-cache inputs teambot recognizes (inputs: ${inputs.join(', ')}). ` +
      'teambot needs a decoder exported with past key/values (e.g. Optimum "text-generation-with-past").',
  );
}

/** Reads input/output names, dtypes and KV shapes from session metadata, with layout hints as a fallback. */
export function readIoSpec(
  inputs: readonly TensorMeta[],
  outputs: readonly TensorMeta[],
  hints: IoHints = {},
): IoSpec {
  const input = new Map(inputs.map((m) => [m.name, m]));
  const output = new Map(outputs.map((m) => [m.name, m]));
  const ids = input.get(hints.inputIds ?? 'input_ids') ?? input.get('input_ids');
  if (ids === undefined) {
    throw new ModelError(
      'unsupported_model',
      `The graph has no input_ids input (inputs: ${[...input.keys()].join(', ')}).`,
    );
  }
  const logits = output.get(hints.logits ?? 'logits') ?? output.get('logits');
  if (logits === undefined) {
    throw new ModelError(
      'unsupported_model',
      `The graph has no logits output (outputs: ${[...output.keys()].join(', ')}).`,
    );
  }
  const mask = input.get(hints.attentionMask ?? 'attention_mask') ?? input.get('attention_mask');
  const positions = input.get(hints.positionIds ?? 'position_ids') ?? input.get('position_ids');
  const states = findStates(inputs, new Set(output.keys()));
  const kv = findKv([...input.keys()], [...output.keys()], hints, new Set(states.map((s) => s.layer)));
  const firstPast = input.get(
    kv.kind === 'separate' ? (kv.layers[0]?.pastKey ?? '') : (kv.layers[0]?.past ?? ''),
  );
  if (firstPast === undefined) throw new ModelError('unsupported_model', 'The graph has no KV-cache layers.');
  const offset = kv.kind === 'stacked' ? 1 : 0;
  const numKvHeads = numericDim(firstPast.shape[offset + 1]) ?? hints.numKvHeads;
  const headDim = numericDim(firstPast.shape[offset + 3]) ?? hints.headDim;
  if (numKvHeads === undefined || headDim === undefined) {
    throw new ModelError(
      'unsupported_model',
      `Cannot tell the KV heads and head size of "${firstPast.name}" from the graph or the config.`,
    );
  }
  const logitsToKeep = ['num_logits_to_keep', 'logits_to_keep'].find((name) => input.has(name));
  const known = new Set([ids.name, mask?.name, positions?.name, 'use_cache_branch', logitsToKeep]);
  for (const layer of kv.layers) for (const name of layerNames(layer)) known.add(name);
  for (const state of states) known.add(state.past);
  const unknown = [...input.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ModelError(
      'unsupported_model',
      `The graph needs inputs teambot does not know how to feed: ${unknown.join(', ')}.`,
    );
  }
  return {
    inputIds: { name: ids.name, type: intType(ids, 'input_ids') },
    attentionMask:
      mask === undefined ? undefined : { name: mask.name, type: intType(mask, 'attention_mask') },
    positionIds:
      positions === undefined
        ? undefined
        : {
            name: positions.name,
            type: intType(positions, 'position_ids'),
            rows: positions.shape.length === 3 ? (numericDim(positions.shape[0]) ?? 3) : undefined,
          },
    useCacheBranch: input.has('use_cache_branch') ? 'use_cache_branch' : undefined,
    logitsToKeep,
    logits: {
      name: logits.name,
      type: floatType(logits, 'logits output'),
      vocabSize: numericDim(logits.shape.at(-1)) ?? hints.vocabSize,
    },
    kv: { ...kv, type: floatType(firstPast, 'KV cache'), numKvHeads, headDim },
    states,
  };
}
