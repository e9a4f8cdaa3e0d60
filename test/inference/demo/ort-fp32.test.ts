import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoWeights } from '../../../src/inference/demo/weights.js';
import { greedyCached, greedyRecompute, lastLogits, runStep } from './ort-loop.js';
import { referenceLogits } from './reference-llama.js';
import { maxAbsDiff, TINY, tinyModelDir, valueRange } from './support.js';

const PROMPT = [72, 101, 108, 108, 111, 44, 32, 116, 101, 97, 109];

describe('tiny demo model in onnxruntime-node (fp32)', () => {
  let session: ort.InferenceSession;
  beforeAll(async () => {
    session = await ort.InferenceSession.create(join(await tinyModelDir(), 'onnx', 'model.onnx'));
  });

  it('has the Optimum Llama inputs and outputs', () => {
    const format = (m: ort.InferenceSession.ValueMetadata) =>
      m.isTensor ? `${m.name}:${m.type}[${m.shape.join(',')}]` : m.name;
    const kv = (prefix: string, seq: string) =>
      Array.from({ length: TINY.numLayers }, (_, i) =>
        ['key', 'value'].map((kind) => `${prefix}.${i}.${kind}:float32[batch_size,2,${seq},16]`),
      ).flat();
    expect(session.inputMetadata.map(format)).toEqual([
      'input_ids:int64[batch_size,sequence_length]',
      'attention_mask:int64[batch_size,total_sequence_length]',
      'position_ids:int64[batch_size,sequence_length]',
      ...kv('past_key_values', 'past_sequence_length'),
    ]);
    expect(session.outputMetadata.map(format)).toEqual([
      'logits:float32[batch_size,sequence_length,512]',
      ...kv('present', 'total_sequence_length'),
    ]);
  });

  it('matches a plain TypeScript Llama forward pass', async () => {
    const out = await runStep(session, TINY, {
      inputIds: [PROMPT],
      attentionMask: [PROMPT.map(() => 1)],
      positionIds: [PROMPT.map((_, i) => i)],
    });
    const expected = referenceLogits(TINY, generateDemoWeights(TINY, 0), PROMPT);
    expect(out.dims).toEqual([1, PROMPT.length, TINY.vocabSize]);
    expect(valueRange(expected)).toBeGreaterThan(10);
    expect(maxAbsDiff(out.logits, expected)).toBeLessThan(1e-3);
  });

  it('gives the same greedy tokens with the KV cache as with full recomputation', async () => {
    const cached = await greedyCached(session, TINY, PROMPT, 16);
    const recomputed = await greedyRecompute(session, TINY, PROMPT, 16);
    expect(cached).toHaveLength(16);
    expect(cached).toEqual(recomputed);
    expect(new Set(cached).size).toBeGreaterThan(1);
  });

  it('returns presents that grow by the new tokens', async () => {
    const first = await runStep(session, TINY, {
      inputIds: [[1, 2, 3]],
      attentionMask: [[1, 1, 1]],
      positionIds: [[0, 1, 2]],
    });
    expect(first.next['past_key_values.0.key']?.dims).toEqual([1, 2, 3, 16]);
    const second = await runStep(session, TINY, {
      inputIds: [[4, 5]],
      attentionMask: [[1, 1, 1, 1, 1]],
      positionIds: [[3, 4]],
      past: first.next,
    });
    expect(second.next['past_key_values.1.value']?.dims).toEqual([1, 2, 5, 16]);
    const full = await runStep(session, TINY, {
      inputIds: [[1, 2, 3, 4, 5]],
      attentionMask: [[1, 1, 1, 1, 1]],
      positionIds: [[0, 1, 2, 3, 4]],
    });
    expect(maxAbsDiff(lastLogits(second), lastLogits(full))).toBeLessThan(1e-4);
  });

  it('gives each row of a left-padded batch the logits of its prompt alone', async () => {
    const long = PROMPT;
    const short = [84, 104, 101, 32, 98, 111, 116];
    const pad = long.length - short.length;
    const batch = await runStep(session, TINY, {
      inputIds: [long, [...new Array<number>(pad).fill(0), ...short]],
      attentionMask: [long.map(() => 1), [...new Array<number>(pad).fill(0), ...short.map(() => 1)]],
      positionIds: [long.map((_, i) => i), [...new Array<number>(pad).fill(1), ...short.map((_, i) => i)]],
    });
    for (const [row, prompt] of [long, short].entries()) {
      const alone = await runStep(session, TINY, {
        inputIds: [prompt],
        attentionMask: [prompt.map(() => 1)],
        positionIds: [prompt.map((_, i) => i)],
      });
      expect(maxAbsDiff(lastLogits(batch, row), lastLogits(alone))).toBeLessThan(1e-4);
    }
    expect(Array.from(batch.logits).every(Number.isFinite)).toBe(true);
  });

  it('keeps a padded row finite and correct while decoding with the cache', async () => {
    const short = [84, 104, 101];
    const prompt = [0, 0, ...short];
    const mask = [0, 0, 1, 1, 1];
    const step1 = await runStep(session, TINY, {
      inputIds: [prompt],
      attentionMask: [mask],
      positionIds: [[1, 1, 0, 1, 2]],
    });
    const step2 = await runStep(session, TINY, {
      inputIds: [[7]],
      attentionMask: [[...mask, 1]],
      positionIds: [[3]],
      past: step1.next,
    });
    const alone = await runStep(session, TINY, {
      inputIds: [[...short, 7]],
      attentionMask: [[1, 1, 1, 1]],
      positionIds: [[0, 1, 2, 3]],
    });
    expect(Array.from(step1.logits).every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(lastLogits(step2), lastLogits(alone))).toBeLessThan(1e-4);
  });
});
