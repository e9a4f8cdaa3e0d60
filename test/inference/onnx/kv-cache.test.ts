import { afterAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '../../../src/inference/onnx/load-model.js';
import { greedyCached, greedyRecomputed, openCpu } from './greedy.js';
import { demoModelDir, GPT2_FIXTURE, QWEN_FIXTURE } from './models.js';

const opened: LoadedModel[] = [];
afterAll(async () => {
  for (const model of opened) await model.opened.session.release();
});

async function open(dir: string): Promise<LoadedModel> {
  const model = await openCpu(dir);
  opened.push(model);
  return model;
}

describe('greedy decoding with the KV cache equals full recomputation', () => {
  it('on the generated Llama (separate int64 inputs, GQA, external data)', async () => {
    const model = await open(await demoModelDir());
    const prompt = model.tokenizer.tokenizer.encode('The quick brown fox jumps over the lazy dog.');
    const cached = await greedyCached(model, prompt, 24);
    expect(cached).toHaveLength(24);
    expect(cached).toEqual(await greedyRecomputed(model, prompt, 24));
  });

  it('on the shared GPT-2 export (stacked [2, b, h, s, d] pasts, int32 inputs)', async () => {
    const model = await open(GPT2_FIXTURE);
    expect(model.spec.kv.kind).toBe('stacked');
    const prompt = model.tokenizer.tokenizer.encode(
      'The man said that it was not the time for all of them to go',
    );
    expect(Math.max(...prompt)).toBeLessThan(1000);
    const cached = await greedyCached(model, prompt, 20);
    expect(cached).toEqual(await greedyRecomputed(model, prompt, 20));
  });

  it('on the shared Qwen export (fp16 KV and logits, no position_ids)', async () => {
    const model = await open(QWEN_FIXTURE);
    expect(model.spec.positionIds).toBeUndefined();
    expect(model.spec.kv.type).toBe('float16');
    const prompt = model.tokenizer.tokenizer.encode('I do not like it');
    const cached = await greedyCached(model, prompt, 16);
    expect(cached).toEqual(await greedyRecomputed(model, prompt, 16));
  });
});
