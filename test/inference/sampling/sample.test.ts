import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/inference/sampling/rng.js';
import { type SamplingParams, sampleToken } from '../../../src/inference/sampling/sample.js';
import { draws, noRng, randomLogits, topIds } from './helpers.js';

describe('sampleToken: greedy', () => {
  it('takes the argmax at temperature 0 (and up to 1e-5), without drawing', () => {
    const logits = Float32Array.from([0.5, 3, -1, 2.9, 3.1, 0]);
    for (const temperature of [0, 1e-6, 1e-5]) {
      expect(sampleToken(logits, { temperature }, { previousIds: [], rng: noRng })).toBe(4);
    }
  });

  it('is the argmax whatever the seed, and ties go to the first', () => {
    const logits = randomLogits(5000, 3);
    const best = topIds(logits, 1)[0];
    for (let seed = 0; seed < 20; seed++) {
      expect(
        sampleToken(
          logits,
          { temperature: 0, topK: 40, topP: 0.5 },
          { previousIds: [], rng: createRng(seed) },
        ),
      ).toBe(best);
    }
    expect(
      sampleToken(Float32Array.from([1, 7, 7, 2]), { temperature: 0 }, { previousIds: [], rng: noRng }),
    ).toBe(1);
  });

  it('top-k 1 is greedy at any temperature', () => {
    const logits = randomLogits(1000, 4);
    const counts = draws(logits, { temperature: 5, topK: 1 }, 200);
    expect(counts[topIds(logits, 1)[0] as number]).toBe(200);
  });

  it('works on a subarray row and leaves the logits alone', () => {
    const all = randomLogits(300, 5);
    const before = all.slice();
    const row = all.subarray(100, 200);
    const [best, second] = topIds(row, 2) as [number, number];
    expect(sampleToken(row, { temperature: 0 }, { previousIds: [], rng: noRng })).toBe(best);
    const penalty = { temperature: 0, repetitionPenalty: 100 };
    expect(sampleToken(row, penalty, { previousIds: [best], rng: noRng })).toBe(
      (row[best] as number) > 0 ? second : best,
    );
    sampleToken(
      row,
      { temperature: 0.8, topP: 0.9, repetitionPenalty: 1.3 },
      { previousIds: [best], rng: createRng(1) },
    );
    sampleToken(
      row,
      { temperature: 0.8, topK: 5, repetitionPenalty: 0.5 },
      { previousIds: [1], rng: createRng(1) },
    );
    expect(all).toEqual(before);
  });
});

describe('sampleToken: seeded draws', () => {
  const logits = randomLogits(2000, 6, 2);
  const sequence = (seed: number, params: SamplingParams) => {
    const rng = createRng(seed);
    return Array.from({ length: 300 }, () => sampleToken(logits, params, { previousIds: [], rng }));
  };

  it('repeats exactly with the same seed and differs with another', () => {
    for (const params of [
      { temperature: 1 },
      { temperature: 0.7, topK: 50 },
      { temperature: 0.9, topP: 0.95 },
    ]) {
      expect(sequence(42, params)).toEqual(sequence(42, params));
      expect(sequence(42, params)).not.toEqual(sequence(43, params));
    }
  });
});

describe('sampleToken: bad rows', () => {
  it('throws a clear error on NaN logits, whatever the settings', () => {
    const logits = Float32Array.from([1, 2, Number.NaN, 0]);
    for (const params of [
      { temperature: 0 },
      { temperature: 1 },
      { temperature: 1, topK: 2 },
      { temperature: 1, topP: 0.5 },
    ]) {
      expect(() => sampleToken(logits, params, { previousIds: [], rng: createRng(1) })).toThrow(
        /NaN logits.*token 2/,
      );
    }
  });

  it('skips -Infinity (masked) tokens and refuses a row with nothing left', () => {
    const masked = Float32Array.from([Number.NEGATIVE_INFINITY, 0, Number.NEGATIVE_INFINITY, 0.5]);
    const counts = draws(masked, { temperature: 1 }, 500);
    expect((counts[1] as number) + (counts[3] as number)).toBe(500);
    expect(draws(masked, { temperature: 1, topK: 3 }, 500)[0]).toBe(0);
    const none = new Float32Array(4).fill(Number.NEGATIVE_INFINITY);
    expect(() => sampleToken(none, { temperature: 1 }, { previousIds: [], rng: createRng(1) })).toThrow(
      /-Infinity/,
    );
    expect(() =>
      sampleToken(new Float32Array(0), { temperature: 1 }, { previousIds: [], rng: createRng(1) }),
    ).toThrow(/empty/);
  });

  it('picks a +Infinity logit', () => {
    const row = Float32Array.from([0, Number.POSITIVE_INFINITY, 3]);
    expect(sampleToken(row, { temperature: 1 }, { previousIds: [], rng: createRng(1) })).toBe(1);
    expect(sampleToken(row, { temperature: 1, topK: 2 }, { previousIds: [], rng: createRng(1) })).toBe(1);
  });
});
