import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forward } from '../../../src/inference/onnx/forward.js';
import { KvCache } from '../../../src/inference/onnx/kv-cache.js';
import type { LoadedModel } from '../../../src/inference/onnx/load-model.js';
import { argmax, greedyCached, greedyRecomputed, openCpu } from '../onnx/greedy.js';
import { LFM2_FIXTURE } from '../onnx/models.js';
import { generatedModelDir } from './models.js';

/** Greedy decoding whose prompt goes in chunks of `chunk` tokens: states carried between chunks too. */
async function greedyChunked(model: LoadedModel, prompt: number[], steps: number, chunk: number) {
  const cache = new KvCache(model.spec);
  const run = (ids: number[], start: number) =>
    forward(model.opened.session, model.spec, cache, {
      ids,
      positions: ids.map((_, i) => start + i),
      seqLength: ids.length,
    });
  try {
    let out = await run(prompt.slice(0, chunk), 0);
    for (let start = chunk; start < prompt.length; start += chunk)
      out = await run(prompt.slice(start, start + chunk), start);
    const tokens: number[] = [];
    for (let i = 0; i < steps; i++) {
      tokens.push(argmax(out.logits));
      out = await run([tokens.at(-1) as number], prompt.length + i);
    }
    return tokens;
  } finally {
    cache.dispose();
  }
}

const models = [
  { name: 'the LFM2 export (onnxruntime-genai)', dir: async () => LFM2_FIXTURE, kinds: ['conv'] },
  { name: 'the generated LFM2', dir: () => generatedModelDir('lfm2'), kinds: ['conv'] },
  { name: 'the generated Qwen3.5', dir: () => generatedModelDir('qwen3_5'), kinds: ['conv', 'recurrent'] },
];

describe.each(models)('caches and states on $name', ({ dir, kinds }) => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await openCpu(await dir());
  });
  afterAll(() => model.opened.session.release());

  it('reads which layers hold KV and which hold states from the graph', () => {
    expect(model.spec.kv.indices.length).toBeGreaterThan(0);
    expect([...new Set(model.spec.states.map((s) => s.kind))].sort()).toEqual(kinds);
    const stateLayers = new Set(model.spec.states.map((s) => s.layer));
    for (const layer of model.spec.kv.indices) expect(stateLayers.has(layer)).toBe(false);
  });

  it('gives with caches and states the greedy tokens of full recomputation (no past, zero states)', async () => {
    for (const prompt of [[44, 45, 46, 47, 48, 49, 50], [300, 12, 7], [98]]) {
      const recomputed = await greedyRecomputed(model, prompt, 16);
      expect(new Set(recomputed).size).toBeGreaterThan(1);
      expect(await greedyCached(model, prompt, 16)).toEqual(recomputed);
      expect(await greedyChunked(model, prompt, 16, 2)).toEqual(recomputed);
    }
  });
});
