import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { IoSpec } from '../../../src/inference/model/io-spec.js';
import { KvCache } from '../../../src/inference/onnx/kv-cache.js';

/** A stacked-KV layer and a conv state: [2, batch, 1, seq, 2] and [batch, 3]. */
const spec: IoSpec = {
  inputIds: { name: 'input_ids', type: 'int64' },
  logits: { name: 'logits', type: 'float32' },
  kv: {
    kind: 'stacked',
    type: 'float32',
    numKvHeads: 1,
    headDim: 2,
    layers: [{ past: 'past_1', present: 'present_1' }],
    indices: [1],
  },
  states: [
    {
      layer: 0,
      kind: 'conv',
      past: 'past_conv.0',
      present: 'present_conv.0',
      type: 'float32',
      dims: [3],
      size: 3,
    },
  ],
};

const values = (tensor: ort.Tensor | undefined) => Array.from(tensor?.data as Float32Array);

describe('KvCache rows', () => {
  it('splits its first rows from the others, KV halves and states alike, and starts states at zero', async () => {
    const cache = new KvCache(spec, 3);
    expect(values(cache.feeds()['past_conv.0'])).toEqual(new Array(9).fill(0));
    // Row r of the KV holds 10r + position; its state holds 100r + i.
    const kv = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => {
      const half = Math.floor(i / 12);
      const row = Math.floor((i % 12) / 4);
      return 1000 * half + 10 * row + (i % 4);
    });
    cache.absorb({
      present_1: new ort.Tensor('float32', kv, [2, 3, 1, 2, 2]),
      'present_conv.0': new ort.Tensor(
        'float32',
        Float32Array.from({ length: 9 }, (_, i) => 100 * Math.floor(i / 3) + (i % 3)),
        [3, 3],
      ),
    });
    const [first, rest] = await cache.split(1);
    expect(first.batch).toBe(1);
    expect(rest.batch).toBe(2);
    expect(first.length).toBe(2);
    expect(values(first.tensor('past_1'))).toEqual([0, 1, 2, 3, 1000, 1001, 1002, 1003]);
    expect(values(rest.tensor('past_1'))).toEqual([
      10, 11, 12, 13, 20, 21, 22, 23, 1010, 1011, 1012, 1013, 1020, 1021, 1022, 1023,
    ]);
    expect(values(first.tensor('past_conv.0'))).toEqual([0, 1, 2]);
    expect(values(rest.tensor('past_conv.0'))).toEqual([100, 101, 102, 200, 201, 202]);
    expect(rest.tensor('past_conv.0')?.dims).toEqual([2, 3]);
    const repeated = await first.repeated(2);
    expect(values(repeated.tensor('past_conv.0'))).toEqual([0, 1, 2, 0, 1, 2]);
    for (const c of [cache, first, rest, repeated]) c.dispose();
  });
});
