import type * as ort from 'onnxruntime-node';
import type { IoSpec } from '../model/io-spec.js';
import { emptyFloatTensor } from './tensors.js';

/**
 * The past key/values of one batch: fed to each step and replaced by its presents. Replaced tensors
 * are disposed at once, which matters on WebGPU where they hold GPU buffers (transformers.js leaked
 * exactly here).
 */
export class KvCache {
  private readonly tensors = new Map<string, ort.Tensor>();
  /** Positions held (the past sequence length). */
  length = 0;

  constructor(
    private readonly spec: IoSpec,
    readonly batch = 1,
  ) {}

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
    return feeds;
  }

  /** Takes the step's presents as the new pasts, disposing the old ones. */
  absorb(outputs: Record<string, ort.Tensor>): void {
    const { kv } = this.spec;
    const pairs: [string, string][] =
      kv.kind === 'separate'
        ? kv.layers.flatMap((l): [string, string][] => [
            [l.pastKey, l.presentKey],
            [l.pastValue, l.presentValue],
          ])
        : kv.layers.map((l): [string, string] => [l.past, l.present]);
    const seqAxis = kv.kind === 'separate' ? 2 : 3;
    for (const [past, present] of pairs) {
      const tensor = outputs[present];
      if (tensor === undefined) throw new Error(`The step returned no ${present}.`);
      this.tensors.get(past)?.dispose();
      this.tensors.set(past, tensor);
      this.length = tensor.dims[seqAxis] ?? this.length;
    }
  }

  /** Output names this cache takes over (everything else a step returns is the caller's to dispose). */
  presentNames(): Set<string> {
    const { kv } = this.spec;
    return new Set(
      kv.kind === 'separate'
        ? kv.layers.flatMap((l) => [l.presentKey, l.presentValue])
        : kv.layers.map((l) => l.present),
    );
  }

  dispose(): void {
    for (const tensor of this.tensors.values()) tensor.dispose();
    this.tensors.clear();
    this.length = 0;
  }
}
