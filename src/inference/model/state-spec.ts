/**
 * Fixed-size per-layer states of hybrid decoders (LFM2's short convolutions, Qwen3.5 / Qwen3-Next's
 * linear attention, Mamba): inputs such as `past_conv.N` [batch, ...] that each step replaces with
 * `present_conv.N`. Unlike the KV cache they have no sequence axis: one block per row.
 */
import { ModelError } from './errors.js';

/** One state input of the graph and the output that replaces it. */
export interface StateLayer {
  /** Decoder layer index (the N in `past_conv.N`). */
  layer: number;
  kind: StateKind;
  past: string;
  present: string;
  type: 'float32' | 'float16';
  /** Dimensions of one row's state (the shape without its leading batch axis). */
  dims: readonly number[];
  /** Values per row: the product of `dims`. */
  size: number;
}

export type StateKind = 'conv' | 'recurrent' | 'ssm';

interface Meta {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

/** State families by name: past input template, present output template. */
export const STATE_FAMILIES: readonly { kind: StateKind; past: string; present: string }[] = [
  { kind: 'conv', past: 'past_conv.', present: 'present_conv.' },
  { kind: 'recurrent', past: 'past_recurrent.', present: 'present_recurrent.' },
  { kind: 'ssm', past: 'past_ssm.', present: 'present_ssm.' },
];

function stateType(meta: Meta): 'float32' | 'float16' {
  if (meta.type === 'float32' || meta.type === 'float16') return meta.type;
  throw new ModelError(
    'unsupported_model',
    `The graph's state "${meta.name}" is ${meta.type}; expected a float.`,
  );
}

/** The graph's per-layer states, ordered by layer then kind; an empty list for a plain decoder. */
export function findStates(inputs: readonly Meta[], outputs: ReadonlySet<string>): StateLayer[] {
  const states: StateLayer[] = [];
  for (const meta of inputs) {
    const family = STATE_FAMILIES.find((f) => meta.name.startsWith(f.past));
    const layer = family === undefined ? undefined : Number(meta.name.slice(family.past.length));
    if (family === undefined || layer === undefined || !Number.isInteger(layer)) continue;
    const present = `${family.present}${layer}`;
    if (!outputs.has(present)) {
      throw new ModelError('unsupported_model', `The graph takes ${meta.name} but has no ${present} output.`);
    }
    const dims = meta.shape.slice(1);
    if (!dims.every((d): d is number => typeof d === 'number' && d > 0)) {
      throw new ModelError(
        'unsupported_model',
        `The graph's state "${meta.name}" has shape [${meta.shape.join(', ')}]; every axis but the batch must be fixed.`,
      );
    }
    const size = dims.reduce((a, b) => a * b, 1);
    states.push({ layer, kind: family.kind, past: meta.name, present, type: stateType(meta), dims, size });
  }
  return states.sort((a, b) => a.layer - b.layer || a.kind.localeCompare(b.kind));
}

/** Per decoder layer, what it keeps: 'attention' (KV), the state kinds it holds, or 'none'. */
export function layerKinds(kvLayers: readonly number[], states: readonly StateLayer[]): string[] {
  const count = Math.max(-1, ...kvLayers, ...states.map((s) => s.layer)) + 1;
  return Array.from({ length: count }, (_, i) => {
    const kinds: string[] = states.filter((s) => s.layer === i).map((s) => s.kind);
    if (kvLayers.includes(i)) kinds.unshift('attention');
    return kinds.length === 0 ? 'none' : kinds.join('+');
  });
}
