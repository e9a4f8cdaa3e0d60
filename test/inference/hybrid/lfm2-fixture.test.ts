import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '../../../src/inference/onnx/load-model.js';
import { greedyCached, greedyRecomputed, openCpu } from '../onnx/greedy.js';
import { LFM2_FIXTURE } from '../onnx/models.js';
import { hybridBatchSuite } from './batch-suite.js';

describe('the LFM2 export of onnxruntime-genai (conv states beside attention)', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await openCpu(LFM2_FIXTURE);
  });
  afterAll(() => model.opened.session.release());

  it('reads attention layers 1 and 3 as KV and layers 0 and 2 as conv states', () => {
    expect(model.spec.kv.indices).toEqual([1, 3]);
    expect(model.spec.states.map((s) => [s.layer, s.kind, s.past, s.present, s.dims])).toEqual([
      [0, 'conv', 'past_conv.0', 'present_conv.0', [32, 4]],
      [2, 'conv', 'past_conv.2', 'present_conv.2', [32, 4]],
    ]);
  });

  it('gives with caches and states the greedy tokens of full recomputation', async () => {
    for (const prompt of [
      [464, 582, 531, 326],
      [40, 466, 407, 588, 340, 11, 290],
    ]) {
      const cached = await greedyCached(model, prompt, 12);
      expect(cached).toHaveLength(12);
      expect(cached).toEqual(await greedyRecomputed(model, prompt, 12));
    }
  });
});

hybridBatchSuite({
  name: 'the LFM2 export',
  dir: async () => LFM2_FIXTURE,
  tokens: 24,
  prompts: [
    'The man said that it was not the time for all of them to go',
    'I do not like it',
    '1 2 3 4 5 6 7 8 9',
    'it was not the time',
  ],
});
