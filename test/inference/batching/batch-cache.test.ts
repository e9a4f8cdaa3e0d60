import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchKvCache } from '../../../src/inference/batching/batch-cache.js';
import { forward } from '../../../src/inference/onnx/forward.js';
import { KvCache } from '../../../src/inference/onnx/kv-cache.js';
import type { LoadedModel } from '../../../src/inference/onnx/load-model.js';
import { openCpu } from '../onnx/greedy.js';
import { demoModelDir, GPT2_FIXTURE } from '../onnx/models.js';

async function prefilled(model: LoadedModel, ids: number[]): Promise<KvCache> {
  const cache = new KvCache(model.spec);
  await forward(model.opened.session, model.spec, cache, {
    ids,
    positions: ids.map((_, i) => i),
    seqLength: ids.length,
  });
  return cache;
}

/** Copies of a cache's per-layer data, to compare after the cache has been emptied. */
function snapshot(cache: KvCache, names: string[]): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const name of names) out.set(name, Float32Array.from(cache.tensor(name)?.data as Float32Array));
  return out;
}

describe.each([
  { name: 'the generated Llama model ([b, h, s, d] pasts)', dir: demoModelDir },
  { name: 'the gpt2 fixture (stacked [2, b, h, s, d] pasts)', dir: async () => GPT2_FIXTURE },
])('BatchKvCache on $name', ({ dir }) => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await openCpu(await dir(), 'fp32');
  });
  afterAll(() => model.opened.session.release());

  it('merges rows left-padded, masks the padding, and compacts when rows leave', async () => {
    const prompts = [
      [1, 2, 3, 4, 5, 6, 7],
      [8, 9],
      [10, 11, 12, 13],
    ];
    const names = Object.keys(new KvCache(model.spec).feeds());
    const caches = await Promise.all(prompts.map((p) => prefilled(model, p)));
    const before = caches.map((c) => snapshot(c, names));
    const batch = new BatchKvCache(model.spec);
    await batch.rebuild(
      [],
      caches.map((cache) => ({ cache, rows: [{ row: 0, length: cache.length }] })),
    );
    expect(batch.batch).toBe(3);
    expect(batch.length).toBe(7);
    expect(batch.rowLengths).toEqual([7, 2, 4]);
    expect([...batch.stepMask()]).toEqual([
      ...[1, 1, 1, 1, 1, 1, 1, 1],
      ...[0, 0, 0, 0, 0, 1, 1, 1],
      ...[0, 0, 0, 1, 1, 1, 1, 1],
    ]);
    const stacked = model.spec.kv.kind === 'stacked';
    const { numKvHeads: heads, headDim: dim } = model.spec.kv;
    /** Row r's data for one layer, its real positions only (the padding must be zeros). */
    const rowOf = (data: Float32Array, batchSize: number, length: number, r: number, n: number) => {
      const parts: number[] = [];
      const padding: number[] = [];
      for (let o = 0; o < (stacked ? 2 : 1); o++) {
        for (let h = 0; h < heads; h++) {
          const base = ((o * batchSize + r) * heads + h) * length * dim;
          padding.push(...data.subarray(base, base + (length - n) * dim));
          parts.push(...data.subarray(base + (length - n) * dim, base + length * dim));
        }
      }
      return { parts, padding };
    };
    const name = names[0] as string;
    const feeds = batch.feeds();
    const firstBuffers = new Set(Object.values(feeds).map((t) => (t.data as Float32Array).buffer));
    for (const [r, p] of prompts.entries()) {
      const got = rowOf(feeds[name]?.data as Float32Array, 3, 7, r, p.length);
      expect(got.parts).toEqual([...(before[r]?.get(name) ?? [])]);
      expect(got.padding.every((v) => v === 0)).toBe(true);
    }
    // The longest row leaves: the padding no row needs any more is trimmed.
    await batch.rebuild([1, 2], []);
    expect(batch.batch).toBe(2);
    expect(batch.length).toBe(4);
    expect(batch.rowLengths).toEqual([2, 4]);
    const compacted = batch.feeds()[name]?.data as Float32Array;
    expect(rowOf(compacted, 2, 4, 0, 2).parts).toEqual([...(before[1]?.get(name) ?? [])]);
    expect(rowOf(compacted, 2, 4, 1, 4).parts).toEqual([...(before[2]?.get(name) ?? [])]);
    // A join writes into the buffers of the first layout (kv-pool.ts), which still hold its rows:
    // the rows and their zero padding are as in a fresh buffer.
    const again = await prefilled(model, prompts[0] as number[]);
    await batch.rebuild([0, 1], [{ cache: again, rows: [{ row: 0, length: again.length }] }]);
    expect(batch.rowLengths).toEqual([2, 4, 7]);
    const reused = batch.feeds()[name]?.data as Float32Array;
    expect(firstBuffers.has(reused.buffer)).toBe(true);
    for (const [r, p] of [1, 2, 0].entries()) {
      const got = rowOf(reused, 3, 7, r, (prompts[p] as number[]).length);
      expect(got.parts).toEqual([...(before[p]?.get(name) ?? [])]);
      expect(got.padding.every((v) => v === 0)).toBe(true);
    }
    again.dispose();
    // Everyone leaves.
    await batch.rebuild([], []);
    expect(batch.batch).toBe(0);
    expect(batch.length).toBe(0);
    for (const c of caches) c.dispose();
    batch.dispose();
  });
});
