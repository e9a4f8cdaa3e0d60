import * as ort from 'onnxruntime-node';
import type { IoSpec } from '../model/io-spec.js';
import { emptyFloatTensor, hostData, zeroFloatTensor } from './tensors.js';

/** [past input, present output] name pairs, layer by layer. */
export function kvPairs(spec: IoSpec): [string, string][] {
  const { kv } = spec;
  return kv.kind === 'separate'
    ? kv.layers.flatMap((l): [string, string][] => [
        [l.pastKey, l.presentKey],
        [l.pastValue, l.presentValue],
      ])
    : kv.layers.map((l): [string, string] => [l.past, l.present]);
}

/** [past input, present output] name pairs of the hybrid layers' fixed-size states. */
export function statePairs(spec: IoSpec): [string, string][] {
  return spec.states.map((s): [string, string] => [s.past, s.present]);
}

/** What a forward step needs from a cache (KvCache, or the batching scheduler's BatchKvCache). */
export interface StepCache {
  readonly batch: number;
  /** Positions held (the past sequence length, padding included). */
  readonly length: number;
  feeds(): Record<string, ort.Tensor>;
  absorb(outputs: Record<string, ort.Tensor>): void;
  /** The outputs a step must fetch for absorb(). */
  outputNames(): string[];
  /** Fetched outputs absorb() kept (forward disposes the rest). */
  presentNames(): Set<string>;
}

/**
 * The past key/values of one batch: fed to each step and replaced by its presents. Replaced tensors
 * are disposed at once, which matters on WebGPU where they hold GPU buffers (transformers.js leaked
 * exactly here).
 */
export class KvCache implements StepCache {
  private readonly tensors = new Map<string, ort.Tensor>();
  /** Positions held (the past sequence length). */
  length = 0;

  constructor(
    private readonly spec: IoSpec,
    readonly batch = 1,
  ) {}

  /** A cache that already holds `length` positions (a cached prefix's tensors, handed over). */
  static restored(
    spec: IoSpec,
    tensors: ReadonlyMap<string, ort.Tensor>,
    length: number,
    batch = 1,
  ): KvCache {
    const cache = new KvCache(spec, batch);
    for (const [name, tensor] of tensors) cache.tensors.set(name, tensor);
    cache.length = length;
    return cache;
  }

  /** Past inputs for the next step (zero-length tensors before the first). */
  feeds(): Record<string, ort.Tensor> {
    const { kv } = this.spec;
    const feeds: Record<string, ort.Tensor> = {};
    if (kv.kind === 'separate') {
      const dims = [this.batch, kv.numKvHeads, 0, kv.headDim];
      for (const layer of kv.layers) {
        feeds[layer.pastKey] = this.tensors.get(layer.pastKey) ?? emptyFloatTensor(kv.type, dims);
        feeds[layer.pastValue] = this.tensors.get(layer.pastValue) ?? emptyFloatTensor(kv.type, dims);
      }
    } else {
      const dims = [2, this.batch, kv.numKvHeads, 0, kv.headDim];
      for (const layer of kv.layers)
        feeds[layer.past] = this.tensors.get(layer.past) ?? emptyFloatTensor(kv.type, dims);
    }
    // States start at zero, as a sequence with nothing before it has them.
    for (const state of this.spec.states) {
      feeds[state.past] =
        this.tensors.get(state.past) ?? zeroFloatTensor(state.type, [this.batch, ...state.dims]);
    }
    return feeds;
  }

  /** Takes the step's presents as the new pasts, disposing the old ones. */
  absorb(outputs: Record<string, ort.Tensor>): void {
    const { kv } = this.spec;
    const pairs = kvPairs(this.spec);
    const seqAxis = kv.kind === 'separate' ? 2 : 3;
    for (const [past, present] of pairs) {
      const tensor = outputs[present];
      if (tensor === undefined) throw new Error(`The step returned no ${present}.`);
      this.tensors.get(past)?.dispose();
      this.tensors.set(past, tensor);
      this.length = tensor.dims[seqAxis] ?? this.length;
    }
    for (const [past, present] of statePairs(this.spec)) {
      const tensor = outputs[present];
      if (tensor === undefined) throw new Error(`The step returned no ${present}.`);
      this.tensors.get(past)?.dispose();
      this.tensors.set(past, tensor);
    }
  }

  outputNames(): string[] {
    return [...kvPairs(this.spec), ...statePairs(this.spec)].map(([, present]) => present);
  }

  /** Output names this cache takes over (everything else a step returns is the caller's to dispose). */
  presentNames(): Set<string> {
    return new Set(this.outputNames());
  }

  /** The past tensor fed as `name` next (undefined before the first step). */
  tensor(name: string): ort.Tensor | undefined {
    return this.tensors.get(name);
  }

  /** A new cache holding this one's batch-1 past `rows` times over (host copies). */
  async repeated(rows: number): Promise<KvCache> {
    if (this.batch !== 1) throw new Error('Only a batch-1 cache can be repeated.');
    const out = new KvCache(this.spec, rows);
    const states = new Set(this.spec.states.map((s) => s.past));
    for (const [name, tensor] of this.tensors) {
      const data = (await hostData(tensor)) as Float32Array | Uint16Array;
      // Stacked [2, 1, h, s, d]: each half repeats; [1, h, s, d] and states [1, ...]: the whole row.
      const stacked = this.spec.kv.kind === 'stacked' && !states.has(name);
      const halves = stacked ? 2 : 1;
      const block = data.length / halves;
      const copy = new (data.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(
        data.length * rows,
      );
      for (let o = 0; o < halves; o++) {
        for (let r = 0; r < rows; r++)
          copy.set(data.subarray(o * block, (o + 1) * block), (o * rows + r) * block);
      }
      const dims = [...tensor.dims];
      dims[stacked ? 1 : 0] = rows;
      out.tensors.set(name, new ort.Tensor(tensor.type as 'float32' | 'float16', copy, dims));
    }
    out.length = this.length;
    return out;
  }

  /** Two new caches: this one's first `rows` rows, and the others (host copies; this one is kept). */
  async split(rows: number): Promise<[KvCache, KvCache]> {
    const first = new KvCache(this.spec, rows);
    const rest = new KvCache(this.spec, this.batch - rows);
    const states = new Set(this.spec.states.map((s) => s.past));
    for (const [name, tensor] of this.tensors) {
      const data = (await hostData(tensor)) as Float32Array | Uint16Array;
      // Stacked KV [2, batch, ...]: both halves split; everything else [batch, ...].
      const halves = this.spec.kv.kind === 'stacked' && !states.has(name) ? 2 : 1;
      const row = data.length / halves / this.batch;
      const axis = halves === 2 ? 1 : 0;
      for (const [cache, from, count] of [
        [first, 0, rows],
        [rest, rows, this.batch - rows],
      ] as const) {
        const copy = new (data.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(
          halves * count * row,
        );
        for (let h = 0; h < halves; h++) {
          const start = (h * this.batch + from) * row;
          copy.set(data.subarray(start, start + count * row), h * count * row);
        }
        const dims = [...tensor.dims];
        dims[axis] = count;
        cache.tensors.set(name, new ort.Tensor(tensor.type as 'float32' | 'float16', copy, dims));
        cache.length = this.length;
      }
    }
    return [first, rest];
  }

  /** Hands the tensors over to the caller (who disposes them) and empties the cache. */
  take(): Map<string, ort.Tensor> {
    const taken = new Map(this.tensors);
    this.tensors.clear();
    this.length = 0;
    return taken;
  }

  dispose(): void {
    for (const tensor of this.tensors.values()) tensor.dispose();
    this.tensors.clear();
    this.length = 0;
  }
}
