/**
 * Copies between caches and prefix-cache blocks. A block of one row holds, per KV past, its
 * `outer × heads × BLOCK × dim` values ([2, ...] halves for stacked KV); per state, the row's slice.
 */
import * as ort from 'onnxruntime-node';
import type { IoSpec } from '../../model/io-spec.js';
import { KvCache, kvPairs } from '../../onnx/kv-cache.js';
import type { BlockData, KvData } from './block-store.js';

/** One row of a cache's host data: its `length` real positions end at column `end` of `width`. */
export interface RowSource {
  data: ReadonlyMap<string, KvData>;
  batch: number;
  row: number;
  width: number;
  end: number;
  length: number;
}

function like(data: KvData, size: number): KvData {
  return data instanceof Uint16Array ? new Uint16Array(size) : new Float32Array(size);
}

function shape(spec: IoSpec) {
  const { kv } = spec;
  return { heads: kv.numKvHeads, dim: kv.headDim, outer: kv.kind === 'stacked' ? 2 : 1 };
}

/** Block `index` (positions index × size onward) of the source row's KV. */
export function blockOf(spec: IoSpec, source: RowSource, index: number, size: number): Map<string, KvData> {
  const { heads, dim, outer } = shape(spec);
  const out = new Map<string, KvData>();
  const first = source.end - source.length + index * size;
  for (const [past] of kvPairs(spec)) {
    const src = source.data.get(past);
    if (src === undefined) throw new Error(`The cache has no ${past}.`);
    const dst = like(src, outer * heads * size * dim);
    for (let o = 0; o < outer; o++) {
      for (let h = 0; h < heads; h++) {
        const from = (((o * source.batch + source.row) * heads + h) * source.width + first) * dim;
        dst.set(src.subarray(from, from + size * dim), (o * heads + h) * size * dim);
      }
    }
    out.set(past, dst);
  }
  return out;
}

/** The source row's states (copies), or undefined for a graph without states. */
export function statesOf(spec: IoSpec, source: RowSource): Map<string, KvData> | undefined {
  if (spec.states.length === 0) return undefined;
  const out = new Map<string, KvData>();
  for (const state of spec.states) {
    const src = source.data.get(state.past);
    if (src === undefined) throw new Error(`The cache has no ${state.past}.`);
    out.set(state.past, src.slice(source.row * state.size, (source.row + 1) * state.size));
  }
  return out;
}

/** Host data of a cache's tensors (CPU tensors: their own arrays, no copy). */
export async function hostMap(cache: KvCache, spec: IoSpec): Promise<Map<string, KvData>> {
  const out = new Map<string, KvData>();
  const names = [...kvPairs(spec).map(([past]) => past), ...spec.states.map((s) => s.past)];
  for (const name of names) {
    const tensor = cache.tensor(name);
    if (tensor === undefined) continue;
    out.set(name, (tensor.location === 'cpu' ? tensor.data : await tensor.getData()) as KvData);
  }
  return out;
}

/**
 * A cache of one row per entry of `rows`, each holding its blocks (blocks.length × size positions)
 * left-padded to the longest (zeros before, which the attention mask hides), with the last block's
 * states (a hybrid graph's blocks must end with states to be resumed from; hybrids restore one row).
 */
export function restoreCache(spec: IoSpec, rows: readonly (readonly BlockData[])[], size: number): KvCache {
  const { heads, dim, outer } = shape(spec);
  const batch = rows.length;
  const length = Math.max(...rows.map((blocks) => blocks.length)) * size;
  const tensors = new Map<string, ort.Tensor>();
  for (const [past] of kvPairs(spec)) {
    const sample = rows[0]?.[0]?.kv.get(past);
    if (sample === undefined) throw new Error(`A cached block has no ${past}.`);
    const dst = like(sample, outer * batch * heads * length * dim);
    for (const [r, blocks] of rows.entries()) {
      const pad = length - blocks.length * size;
      for (const [j, block] of blocks.entries()) {
        const src = block.kv.get(past) as KvData;
        for (let o = 0; o < outer; o++) {
          for (let h = 0; h < heads; h++) {
            const from = (o * heads + h) * size * dim;
            const to = (((o * batch + r) * heads + h) * length + pad + j * size) * dim;
            dst.set(src.subarray(from, from + size * dim), to);
          }
        }
      }
    }
    const dims = outer === 2 ? [2, batch, heads, length, dim] : [batch, heads, length, dim];
    tensors.set(past, new ort.Tensor(spec.kv.type, dst, dims));
  }
  for (const state of spec.states) {
    const dst =
      state.type === 'float16' ? new Uint16Array(batch * state.size) : new Float32Array(batch * state.size);
    for (const [r, blocks] of rows.entries()) {
      const src = blocks.at(-1)?.states?.get(state.past);
      if (src === undefined) throw new Error(`The cached prefix has no ${state.past} at its end.`);
      dst.set(src, r * state.size);
    }
    tensors.set(state.past, new ort.Tensor(state.type, dst, [batch, ...state.dims]));
  }
  return KvCache.restored(spec, tensors, length, batch);
}
