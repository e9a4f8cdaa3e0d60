import * as ort from 'onnxruntime-node';
import type { IoSpec } from '../model/io-spec.js';
import { type KvCache, kvPairs, type StepCache } from '../onnx/kv-cache.js';
import { hostData } from '../onnx/tensors.js';

type KvData = Float32Array | Uint16Array;

/**
 * Newcomers prefilled together in their own (left-padded) cache, to join the batch: `rows` says
 * which of its rows join, and how many real positions each holds.
 */
export interface Joiner {
  cache: KvCache;
  rows: readonly { row: number; length: number }[];
}

/** Where one row of the rebuilt cache comes from. */
interface Source {
  data: Map<string, KvData>;
  batch: number;
  row: number;
  length: number;
}

/**
 * The past key/values of the running batch, rows left-padded to a common length: row r holds its
 * `rowLengths[r]` real positions at the end of the sequence axis, zeros (masked out by the attention
 * mask) before them. Rows join from their own prefilled batch-1 caches and leave by compaction;
 * both rebuild the tensors in one copy, trimming padding that no row needs any more.
 */
export class BatchKvCache implements StepCache {
  private tensors = new Map<string, ort.Tensor>();
  private readonly pairs: [string, string][];
  private lengths: number[] = [];
  batch = 0;
  length = 0;

  constructor(private readonly spec: IoSpec) {
    this.pairs = kvPairs(spec);
  }

  /** Real (unpadded) positions of each row. */
  get rowLengths(): readonly number[] {
    return this.lengths;
  }

  /** Positions held in all, padding included (batch × length). */
  get paddedSize(): number {
    return this.batch * this.length;
  }

  private get seqAxis(): number {
    return this.spec.kv.kind === 'separate' ? 2 : 3;
  }

  feeds(): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [past] of this.pairs) {
      const tensor = this.tensors.get(past);
      if (tensor === undefined) throw new Error('The batch cache is empty: no row has joined yet.');
      feeds[past] = tensor;
    }
    return feeds;
  }

  absorb(outputs: Record<string, ort.Tensor>): void {
    const before = this.length;
    for (const [past, present] of this.pairs) {
      const tensor = outputs[present];
      if (tensor === undefined) throw new Error(`The step returned no ${present}.`);
      this.tensors.get(past)?.dispose();
      this.tensors.set(past, tensor);
      this.length = tensor.dims[this.seqAxis] ?? this.length;
    }
    const grown = this.length - before;
    this.lengths = this.lengths.map((n) => n + grown);
  }

  presentNames(): Set<string> {
    return new Set(this.pairs.map(([, present]) => present));
  }

  /** The attention mask of a one-token step: [batch, length + 1], 0 over each row's padding. */
  stepMask(): Int32Array {
    const width = this.length + 1;
    const mask = new Int32Array(this.batch * width);
    for (let r = 0; r < this.batch; r++) {
      const pad = this.length - (this.lengths[r] as number);
      mask.fill(1, r * width + pad, (r + 1) * width);
    }
    return mask;
  }

  /**
   * Keeps the rows `keep` (in that order), then appends the joiners' rows (each cache is emptied;
   * the caller still disposes it). A lone unpadded joiner into an empty batch is adopted without a copy.
   */
  async rebuild(keep: readonly number[], joiners: readonly Joiner[]): Promise<void> {
    if (keep.length === this.batch && joiners.length === 0 && keep.every((r, i) => r === i)) return;
    const lone = joiners[0];
    if (
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
      this.lengths = [length];
      return;
    }
    const sources: Source[] = [];
    if (keep.length > 0) {
      const own = await this.hostTensors(this.tensors);
      for (const row of keep) {
        sources.push({ data: own, batch: this.batch, row, length: this.lengths[row] as number });
      }
    }
    for (const { cache, rows } of joiners) {
      const batch = cache.batch;
      const taken = cache.take();
      const data = await this.hostTensors(taken);
      for (const tensor of taken.values()) tensor.dispose();
      for (const { row, length } of rows) sources.push({ data, batch, row, length });
    }
    this.replace(sources);
  }

  private async hostTensors(tensors: Map<string, ort.Tensor>): Promise<Map<string, KvData>> {
    const out = new Map<string, KvData>();
    for (const [name, tensor] of tensors) out.set(name, (await hostData(tensor)) as KvData);
    return out;
  }

  private replace(sources: Source[]): void {
    const { kv } = this.spec;
    const heads = kv.numKvHeads;
    const dim = kv.headDim;
    const outer = kv.kind === 'stacked' ? 2 : 1;
    const batch = sources.length;
    const length = Math.max(0, ...sources.map((s) => s.length));
    const next = new Map<string, ort.Tensor>();
    for (const [past] of this.pairs) {
      const size = outer * batch * heads * length * dim;
      const dst: KvData = kv.type === 'float16' ? new Uint16Array(size) : new Float32Array(size);
      for (const [i, source] of sources.entries()) {
        const src = source.data.get(past);
        if (src === undefined) throw new Error(`A joining row has no ${past}.`);
        // The source's own sequence length, its padding included; its real positions are the last n.
        const srcLength = src.length / (outer * source.batch * heads * dim);
        const n = source.length;
        for (let o = 0; o < outer; o++) {
          for (let h = 0; h < heads; h++) {
            const from = (((o * source.batch + source.row) * heads + h) * srcLength + srcLength - n) * dim;
            const to = (((o * batch + i) * heads + h) * length + length - n) * dim;
            dst.set(src.subarray(from, from + n * dim), to);
          }
        }
      }
      const dims = kv.kind === 'stacked' ? [2, batch, heads, length, dim] : [batch, heads, length, dim];
      next.set(past, new ort.Tensor(kv.type, dst, dims));
    }
    for (const tensor of this.tensors.values()) tensor.dispose();
    this.tensors = next;
    this.batch = batch;
    this.length = batch === 0 ? 0 : length;
    this.lengths = sources.map((s) => s.length);
  }

  dispose(): void {
    for (const tensor of this.tensors.values()) tensor.dispose();
    this.tensors.clear();
    this.batch = 0;
    this.length = 0;
    this.lengths = [];
  }
}
