import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { IoSpec } from '../../../src/inference/model/io-spec.js';
import { KvCache } from '../../../src/inference/onnx/kv-cache.js';

const spec: IoSpec = {
  inputIds: { name: 'input_ids', type: 'int64' },
  logits: { name: 'logits', type: 'float32' },
  kv: {
    kind: 'separate',
    type: 'float32',
    numKvHeads: 2,
    headDim: 4,
    layers: [{ pastKey: 'pk0', pastValue: 'pv0', presentKey: 'k0', presentValue: 'v0' }],
    indices: [0],
  },
  states: [],
};

/** A real tensor whose dispose() calls are counted (on WebGPU, dispose frees the GPU buffer). */
function counted(length: number, disposed: string[], name: string): ort.Tensor {
  const tensor = new ort.Tensor('float32', new Float32Array(2 * length * 4), [1, 2, length, 4]);
  const dispose = tensor.dispose.bind(tensor);
  tensor.dispose = () => {
    disposed.push(name);
    dispose();
  };
  return tensor;
}

describe('KvCache', () => {
  it('starts with zero-length pasts of the graph dtype and shape', () => {
    const feeds = new KvCache(spec, 3).feeds();
    expect(feeds.pk0?.dims).toEqual([3, 2, 0, 4]);
    expect(feeds.pv0?.type).toBe('float32');
  });

  it('takes presents as the next pasts and disposes each tensor it replaces, once', () => {
    const disposed: string[] = [];
    const cache = new KvCache(spec);
    cache.absorb({ k0: counted(5, disposed, 'k@5'), v0: counted(5, disposed, 'v@5') });
    expect(cache.length).toBe(5);
    expect(disposed).toEqual([]);
    const next = { k0: counted(6, disposed, 'k@6'), v0: counted(6, disposed, 'v@6') };
    cache.absorb(next);
    expect(disposed).toEqual(['k@5', 'v@5']);
    expect(cache.feeds()).toEqual({ pk0: next.k0, pv0: next.v0 });
    expect(cache.length).toBe(6);
    cache.dispose();
    expect(disposed).toEqual(['k@5', 'v@5', 'k@6', 'v@6']);
    expect(cache.length).toBe(0);
  });

  it('fails clearly when a step returns no present for a layer', () => {
    const cache = new KvCache(spec);
    expect(() => cache.absorb({ k0: counted(1, [], 'k') })).toThrow('The step returned no v0.');
  });
});
