import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forward, stepFeeds } from '../../../src/inference/onnx/forward.js';
import { KvCache, kvPairs } from '../../../src/inference/onnx/kv-cache.js';
import { type LoadedModel, loadModel } from '../../../src/inference/onnx/load-model.js';
import { openTailSession } from '../../../src/inference/onnx/tail-session.js';
import { demoModelDir, GPT2_FIXTURE } from './models.js';

const open = (dir: string, tailOutputs: boolean) =>
  loadModel(dir, { device: 'cpu', dtype: 'fp32', threads: 1, tailOutputs });

describe.each([
  { name: 'the generated Llama model ([b, h, s, d] presents)', dir: demoModelDir },
  { name: 'the gpt2 fixture (stacked [2, b, h, s, d] presents)', dir: async () => GPT2_FIXTURE },
])('tail outputs on $name', ({ dir }) => {
  let patched: LoadedModel;
  let plain: LoadedModel;
  beforeAll(async () => {
    const where = await dir();
    patched = await open(where, true);
    plain = await open(where, false);
  });
  afterAll(async () => {
    await patched.opened.session.release();
    await plain.opened.session.release();
  });

  it('adds one output per present holding only the new positions, and the last logits', async () => {
    expect(plain.spec.tails).toBeUndefined();
    const tails = patched.spec.tails;
    expect(tails?.kv.size).toBe(kvPairs(patched.spec).length);
    const ids = [5, 9, 2, 7, 3];
    // Two rows with a past of 5 and a step of 3 new tokens: the tails are the last 3 positions.
    const feedsFrom = async (model: LoadedModel) => {
      const cache = new KvCache(model.spec, 2);
      await forward(model.opened.session, model.spec, cache, {
        ids: [...ids, ...ids.map((i) => i + 1)],
        positions: [0, 1, 2, 3, 4, 0, 1, 2, 3, 4],
        seqLength: 5,
      });
      return cache;
    };
    const cache = await feedsFrom(plain);
    const step = {
      input_ids: [11, 12, 13, 14, 15, 16],
      positions: [5, 6, 7, 5, 6, 7],
    };
    const feeds = (model: LoadedModel) =>
      stepFeeds(model.spec, cache, { ids: step.input_ids, positions: step.positions, seqLength: 3 });
    const full = await plain.opened.session.run(feeds(plain));
    const fetched = [tails?.logits as string, ...(tails?.kv.values() ?? [])];
    const part = await patched.opened.session.run(feeds(patched), fetched);
    const seqAxis = patched.spec.kv.kind === 'separate' ? 2 : 3;
    for (const [, present] of kvPairs(patched.spec)) {
      const whole = full[present];
      const tail = part[tails?.kv.get(present) as string];
      expect(tail?.dims[seqAxis]).toBe(3);
      expect(whole?.dims[seqAxis]).toBe(8);
      const d = whole?.dims as readonly number[];
      const blocks = d.slice(0, seqAxis).reduce((a, b) => a * b, 1);
      const width = d[seqAxis + 1] as number;
      const wholeData = whole?.data as Float32Array;
      const expected: number[] = [];
      for (let b = 0; b < blocks; b++)
        expected.push(...wholeData.subarray((b * 8 + 5) * width, (b * 8 + 8) * width));
      expect(Array.from(tail?.data as Float32Array)).toEqual(expected);
    }
    const logits = full[plain.spec.logits.name];
    const vocab = logits?.dims.at(-1) as number;
    const last = part[tails?.logits as string];
    expect(last?.dims).toEqual([2, 1, vocab]);
    const all = logits?.data as Float32Array;
    expect(Array.from(last?.data as Float32Array)).toEqual([
      ...all.subarray(2 * vocab, 3 * vocab),
      ...all.subarray(5 * vocab, 6 * vocab),
    ]);
    cache.dispose();
  });

  it('keeps the original session when the graph cannot be patched', async () => {
    const broken = { ...plain.spec, inputIds: { ...plain.spec.inputIds, name: 'no_such_input' } };
    const outcome = await openTailSession(plain.opened, broken, { threads: 1 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.why).toMatch(/no_such_input|invalid|not found|Graph/i);
    // The original session still answers.
    const cache = new KvCache(plain.spec);
    const out = await forward(plain.opened.session, plain.spec, cache, {
      ids: [1, 2],
      positions: [0, 1],
      seqLength: 2,
    });
    expect(out.logits.length).toBe(out.vocabSize);
    cache.dispose();
  });
});
