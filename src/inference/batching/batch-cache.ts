import * as ort from 'onnxruntime-node';
import type { IoSpec } from '../model/io-spec.js';
import { type KvCache, kvPairs, type StepCache, statePairs } from '../onnx/kv-cache.js';
import { hostData } from '../onnx/tensors.js';
import { KvBufferPool } from './kv-pool.js';

type KvData = Float32Array | Uint16Array;

/**
 * Newcomers prefilled together in their own cache, to join the batch: `rows` says which of its rows
 * join, how many real positions each holds and where they end (default: at the cache's end, as
 * left padding leaves them).
 */
export interface Joiner {
  cache: KvCache;
  rows: readonly { row: number; length: number; end?: number }[];
}

/** Where one row of the rebuilt cache comes from. */
interface Source {
  data: Map<string, KvData>;
  batch: number;
  row: number;
  length: number;
  /** Sequence positions in the source, and where its real ones end (they are the `length` before). */
  width: number;
  end: number;
}

/**
 * Free positions kept after the rows when the graph has tail outputs: each step writes its new
 * keys/values into the next free column, and the cache grows by this much when it is full.
 */
export const TAIL_HEADROOM = 32;

/**
 * The past key/values of the running batch, rows left-padded to a common end: row r holds its
 * `rowLengths[r]` real positions just before column `end`, zeros (masked out by the attention mask)
 * before them. Rows join from their own prefilled caches and leave by compaction; both rebuild the
 * tensors in one copy, trimming padding that no row needs any more.
 *
 * Two ways to take a step's keys/values:
 * - graphs with tail outputs (IoSpec.tails, CPU): the step fetches only its new positions, which
 *   are written into the free columns after `end`; the tensors fed are `length` = end + free
 *   columns wide, the free ones masked out. Nothing of the cache leaves onnxruntime per step.
 * - otherwise the step's presents replace the pasts (end = length: no free columns).
 *
 * Hybrid graphs' fixed-size states (past_conv.N, past_recurrent.N: [batch, ...]) have no sequence
 * axis, so no padding: each row's block is its own, carried along when rows join and leave, and
 * every step replaces them all with its presents (they are small beside the KV cache).
 */
export class BatchKvCache implements StepCache {
  private tensors = new Map<string, ort.Tensor>();
  private readonly pairs: [string, string][];
  private readonly states: [string, string][];
  private readonly tails: ReadonlyMap<string, string> | undefined;
  private lengths: number[] = [];
  batch = 0;
  /** Sequence positions of the tensors fed (padding and free columns included). */
  length = 0;
  /** Columns in use: every row's real positions end here. */
  private end = 0;
  /** Key/value buffers of earlier layouts, reused by the next rebuild (kv-pool.ts). */
  private readonly pool = new KvBufferPool();

  constructor(private readonly spec: IoSpec) {
    this.pairs = kvPairs(spec);
    this.states = statePairs(spec);
    this.tails = spec.tails?.kv;
  }

  /** Real (unpadded) positions of each row. */
  get rowLengths(): readonly number[] {
    return this.lengths;
  }

  private get seqAxis(): number {
    return this.spec.kv.kind === 'separate' ? 2 : 3;
  }

  feeds(): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [past] of [...this.pairs, ...this.states]) {
      const tensor = this.tensors.get(past);
      if (tensor === undefined) throw new Error('The batch cache is empty: no row has joined yet.');
      feeds[past] = tensor;
    }
    return feeds;
  }

  outputNames(): string[] {
    return [
      ...this.pairs.map(([, present]) => this.tails?.get(present) ?? present),
      ...this.states.map(([, present]) => present),
    ];
  }

  absorb(outputs: Record<string, ort.Tensor>): void {
    this.absorbStates(outputs);
    if (this.tails !== undefined) {
      this.absorbTails(outputs, this.tails);
      return;
    }
    const before = this.length;
    for (const [past, present] of this.pairs) {
      const tensor = outputs[present];
      if (tensor === undefined) throw new Error(`The step returned no ${present}.`);
      this.tensors.get(past)?.dispose();
      this.tensors.set(past, tensor);
      this.length = tensor.dims[this.seqAxis] ?? this.length;
    }
    const grown = this.length - before;
    this.end = this.length;
    this.lengths = this.lengths.map((n) => n + grown);
  }

  /** Every row's states are replaced by the step's (one token per row: no padding went in). */
  private absorbStates(outputs: Record<string, ort.Tensor>): void {
    for (const [past, present] of this.states) {
      const tensor = outputs[present];
      if (tensor === undefined) throw new Error(`The step returned no ${present}.`);
      this.tensors.get(past)?.dispose();
      this.tensors.set(past, tensor);
    }
  }

  /** Writes the step's new positions into the free columns (growing the tensors when they are full). */
  private absorbTails(outputs: Record<string, ort.Tensor>, tails: ReadonlyMap<string, string>): void {
    const { numKvHeads: heads, headDim: dim } = this.spec.kv;
    const outer = this.spec.kv.kind === 'stacked' ? 2 : 1;
    const news = this.pairs.map(([past, present]) => {
      const tensor = outputs[tails.get(present) as string];
      if (tensor === undefined) throw new Error(`The step returned no new positions for ${present}.`);
      return { past, tensor };
    });
    const added = news[0]?.tensor.dims[this.seqAxis] ?? 0;
    if (this.end + added > this.length) this.grow(this.end + added + TAIL_HEADROOM);
    const n = added * dim;
    for (const { past, tensor } of news) {
      const tail = tensor.data as KvData;
      const dst = (this.tensors.get(past) as ort.Tensor).data as KvData;
      for (let block = 0; block < outer * this.batch * heads; block++) {
        const from = block * n;
        const to = (block * this.length + this.end) * dim;
        // A plain loop: for a few dozen values it beats subarray() + set() (no view per block).
        for (let k = 0; k < n; k++) dst[to + k] = tail[from + k] as number;
      }
    }
    this.end += added;
    this.lengths = this.lengths.map((len) => len + added);
  }

  /** Widens every tensor to `length` positions, the used columns copied, the new ones free. */
  private grow(length: number): void {
    const sources = this.ownSources(this.hostOwn());
    this.replace(sources, length);
  }

  presentNames(): Set<string> {
    const kept = this.tails !== undefined ? this.states : [...this.pairs, ...this.states];
    return new Set(kept.map(([, present]) => present));
  }

  /** The attention mask of a one-token step: [batch, length + 1], 1 over each row's real positions and the new one. */
  stepMask(): Int32Array {
    const width = this.length + 1;
    const mask = new Int32Array(this.batch * width);
    for (let r = 0; r < this.batch; r++) {
      const start = this.end - (this.lengths[r] as number);
      mask.fill(1, r * width + start, r * width + this.end);
      mask[r * width + this.length] = 1;
    }
    return mask;
  }

  /**
   * Keeps the rows `keep` (in that order), then appends the joiners' rows (each cache is emptied;
   * the caller still disposes it). A lone unpadded joiner into an empty batch is adopted without a
   * copy when steps replace the pasts with their presents.
   */
  async rebuild(keep: readonly number[], joiners: readonly Joiner[]): Promise<void> {
    if (keep.length === this.batch && joiners.length === 0 && keep.every((r, i) => r === i)) return;
    const lone = joiners[0];
    if (
      this.tails === undefined &&
      keep.length === 0 &&
      joiners.length === 1 &&
      this.batch === 0 &&
      lone !== undefined &&
      lone.cache.batch === 1 &&
      lone.rows.length === 1 &&
      lone.rows[0]?.length === lone.cache.length
    ) {
      const joiner = lone;
      const length = joiner.cache.length;
      this.tensors = joiner.cache.take();
      this.batch = 1;
      this.length = length;
      this.end = length;
      this.lengths = [length];
      return;
    }
    const own = keep.length > 0 ? await this.hostTensors(this.tensors) : new Map<string, KvData>();
    const mine = this.ownSources(own);
    const sources: Source[] = keep.map((row) => mine[row] as Source);
    for (const { cache, rows } of joiners) {
      const batch = cache.batch;
      const width = cache.length;
      const taken = cache.take();
      const data = await this.hostTensors(taken);
      for (const tensor of taken.values()) tensor.dispose();
      for (const { row, length, end } of rows)
        sources.push({ data, batch, row, length, width, end: end ?? width });
    }
    const longest = Math.max(0, ...sources.map((s) => s.length));
    this.replace(sources, this.tails !== undefined && sources.length > 0 ? longest + TAIL_HEADROOM : longest);
  }

  /** Every current row as a rebuild source over `data` (this cache's host data). */
  private ownSources(data: Map<string, KvData>): Source[] {
    return this.lengths.map((length, row) => ({
      data,
      batch: this.batch,
      row,
      length,
      width: this.length,
      end: this.end,
    }));
  }

  /**
   * The rows' host data without a copy (row r's rowLengths[r] real positions end at column `end`
   * of `width`), or undefined when a tensor lives on a device (the prefix cache reads it).
   */
  hostView(): { data: Map<string, KvData>; batch: number; width: number; end: number } | undefined {
    for (const tensor of this.tensors.values()) if (tensor.location !== 'cpu') return undefined;
    return { data: this.hostOwn(), batch: this.batch, width: this.length, end: this.end };
  }

  /** This cache's data (CPU tensors: host data without a copy). */
  private hostOwn(): Map<string, KvData> {
    const out = new Map<string, KvData>();
    for (const [name, tensor] of this.tensors) out.set(name, tensor.data as KvData);
    return out;
  }

  private async hostTensors(tensors: Map<string, ort.Tensor>): Promise<Map<string, KvData>> {
    const out = new Map<string, KvData>();
    for (const [name, tensor] of tensors) out.set(name, (await hostData(tensor)) as KvData);
    return out;
  }

  /** New tensors `length` wide with the sources' real positions ending at the longest one's length. */
  private replace(sources: Source[], length: number): void {
    const { kv } = this.spec;
    const heads = kv.numKvHeads;
    const dim = kv.headDim;
    const outer = kv.kind === 'stacked' ? 2 : 1;
    const batch = sources.length;
    const end = Math.max(0, ...sources.map((s) => s.length));
    const next = new Map<string, ort.Tensor>();
    const size = outer * batch * heads * length * dim;
    this.pool.maxBytes = Math.max(
      this.pool.maxBytes,
      2 * this.pairs.length * size * (kv.type === 'float16' ? 2 : 4),
    );
    for (const [past] of this.pairs) {
      // A reused buffer holds an earlier layout: every element is written, padding and free columns as zeros.
      const dst = this.pool.take(kv.type, size);
      for (const [i, source] of sources.entries()) {
        const src = source.data.get(past);
        if (src === undefined) throw new Error(`A joining row has no ${past}.`);
        const n = source.length;
        for (let o = 0; o < outer; o++) {
          for (let h = 0; h < heads; h++) {
            const from =
              (((o * source.batch + source.row) * heads + h) * source.width + source.end - n) * dim;
            const block = ((o * batch + i) * heads + h) * length * dim;
            const to = block + (end - n) * dim;
            dst.fill(0, block, to);
            dst.set(src.subarray(from, from + n * dim), to);
            dst.fill(0, to + n * dim, block + length * dim);
          }
        }
      }
      const dims = kv.kind === 'stacked' ? [2, batch, heads, length, dim] : [batch, heads, length, dim];
      next.set(past, new ort.Tensor(kv.type, dst, dims));
    }
    for (const state of this.spec.states) {
      const dst: KvData =
        state.type === 'float16' ? new Uint16Array(batch * state.size) : new Float32Array(batch * state.size);
      for (const [i, source] of sources.entries()) {
        const src = source.data.get(state.past);
        if (src === undefined) throw new Error(`A joining row has no ${state.past}.`);
        dst.set(src.subarray(source.row * state.size, (source.row + 1) * state.size), i * state.size);
      }
      next.set(state.past, new ort.Tensor(state.type, dst, [batch, ...state.dims]));
    }
    this.release(this.tensors);
    this.tensors = next;
    this.batch = batch;
    this.length = batch === 0 ? 0 : length;
    this.end = batch === 0 ? 0 : end;
    this.lengths = sources.map((s) => s.length);
  }

  /** Disposes `tensors`; the key/value buffers the pool gave go back to it. */
  private release(tensors: Map<string, ort.Tensor>): void {
    for (const [past] of this.pairs) {
      const tensor = tensors.get(past);
      if (tensor?.location === 'cpu') this.pool.give(tensor.data as KvData);
    }
    for (const tensor of tensors.values()) tensor.dispose();
  }

  dispose(): void {
    for (const tensor of this.tensors.values()) tensor.dispose();
    this.pool.clear();
    this.tensors.clear();
    this.batch = 0;
    this.length = 0;
    this.end = 0;
    this.lengths = [];
  }
}
