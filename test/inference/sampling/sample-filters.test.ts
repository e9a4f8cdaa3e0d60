import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/inference/sampling/rng.js';
import { type SamplingParams, sampleToken } from '../../../src/inference/sampling/sample.js';
import { draws, noRng, randomLogits, topIds } from './helpers.js';
import { chiSquare, referenceProbabilities } from './reference.js';

describe('sampleToken: filters', () => {
  it('top-k draws only among the k best', () => {
    const logits = randomLogits(5000, 7, 1);
    const counts = draws(logits, { temperature: 1.5, topK: 10 }, 2000);
    const allowed = new Set(topIds(logits, 10));
    counts.forEach((count, id) => {
      if (count > 0) expect(allowed.has(id)).toBe(true);
    });
    expect(counts.filter((c) => c > 0).length).toBe(10);
  });

  it('top-p draws only from the nucleus (a big vocabulary, no top-k)', () => {
    const logits = new Float32Array(151936).fill(-10);
    logits[5] = 10; // p ≈ 0.690
    logits[6] = 9; // p ≈ 0.254: the two reach 0.9
    logits[7] = 7; // p ≈ 0.034: with it, 0.95
    logits[100000] = 6.5; // p ≈ 0.021
    const counts = draws(logits, { temperature: 1, topP: 0.9 }, 400);
    expect((counts[5] as number) + (counts[6] as number)).toBe(400);
    expect(counts[5]).toBeGreaterThan(counts[6] as number);
    expect(counts[6]).toBeGreaterThan(60);
    const wider = draws(logits, { temperature: 1, topP: 0.95 }, 400);
    expect(wider[7]).toBeGreaterThan(0);
    expect((wider[5] as number) + (wider[6] as number) + (wider[7] as number)).toBe(400);
  });

  it('top-p keeps at least the most likely token', () => {
    const logits = Float32Array.from([1, 5, 2, 4.99]);
    expect(draws(logits, { temperature: 1, topP: 0.01 }, 100)[1]).toBe(100);
  });

  it('min-p drops tokens far below the best', () => {
    const logits = Float32Array.from({ length: 2000 }, (_, i) => (i < 3 ? 5 - i * 0.5 : -5 + (i % 7) * 0.1));
    const counts = draws(logits, { temperature: 1, minP: 0.1 }, 2000);
    expect(counts.slice(3).every((c) => c === 0)).toBe(true);
    expect(counts.slice(0, 3).every((c) => c > 0)).toBe(true);
  });

  it('the repetition penalty moves the argmax off a repeated token', () => {
    const logits = Float32Array.from([0.1, 2.0, 1.8, -3]);
    const greedy = { temperature: 0, repetitionPenalty: 1.2 };
    expect(sampleToken(logits, { temperature: 0 }, { previousIds: [1], rng: noRng })).toBe(1);
    expect(sampleToken(logits, greedy, { previousIds: [1, 1, 1], rng: noRng })).toBe(2);
    // Negative logits get more negative; a penalty below 1 favours repeats.
    expect(sampleToken(Float32Array.from([-1, -1.1]), greedy, { previousIds: [0], rng: noRng })).toBe(1);
    expect(
      sampleToken(
        logits,
        { temperature: 0, repetitionPenalty: 0.5 },
        { previousIds: new Set([2]), rng: noRng },
      ),
    ).toBe(2);
    // Ids outside the row are ignored; typed arrays work too.
    expect(sampleToken(logits, greedy, { previousIds: Int32Array.from([99, -1, 1]), rng: noRng })).toBe(2);
  });
});

describe('sampleToken: distribution', () => {
  const logits = Float32Array.from([2.0, 1.5, 1.2, 0.3, 0.0, -0.4, -1.0, -2.5, 1.9, 0.8, -0.2, -3.0]);
  const cases: [string, SamplingParams, number[]][] = [
    ['plain softmax', { temperature: 1 }, []],
    ['temperature 0.6', { temperature: 0.6 }, []],
    ['temperature 1.8', { temperature: 1.8 }, []],
    ['top-k 5', { temperature: 1, topK: 5 }, []],
    ['top-p 0.8', { temperature: 1, topP: 0.8 }, []],
    ['top-k 6 + top-p 0.9', { temperature: 0.8, topK: 6, topP: 0.9 }, []],
    ['min-p 0.2', { temperature: 1, minP: 0.2 }, []],
    ['penalty 1.5', { temperature: 1, repetitionPenalty: 1.5 }, [0, 8, 5]],
  ];

  it.each(cases)('matches the softmax probabilities: %s', (_, params, previous) => {
    const times = 20000;
    const counts = draws(logits, params, times, 11, previous);
    const probabilities = referenceProbabilities(logits, params, previous);
    const cells = probabilities.filter((p) => p > 0).length;
    counts.forEach((count, id) => {
      if (probabilities[id] === 0) expect(count).toBe(0);
    });
    // Chi-square with cells - 1 degrees of freedom: far above this would mean a wrong distribution.
    expect(chiSquare(counts, probabilities, times)).toBeLessThan(3 * cells + 10);
  });

  it('matches on a wide row too (the no-sort path), including its far tail', () => {
    const logits = new Float32Array(30000);
    const rng = createRng(5);
    for (let i = 0; i < logits.length; i++) logits[i] = rng() * 4 - 12;
    const hot = [17, 4000, 29999, 12345, 999];
    hot.forEach((id, j) => {
      logits[id] = 4 - j * 0.4;
    });
    const configs: SamplingParams[] = [
      { temperature: 1, topP: 0.9 },
      { temperature: 0.8, minP: 0.05 },
      { temperature: 1.2, topP: 0.97, minP: 0.02 },
      { temperature: 1.6 }, // the many tokens 10 to 13 nats down hold about half the mass
      { temperature: 2.5, topP: 0.5 },
    ];
    for (const params of configs) {
      const times = 600;
      const counts = draws(logits, params, times, 3);
      const probabilities = referenceProbabilities(logits, params);
      counts.forEach((count, id) => {
        if (probabilities[id] === 0) expect(count).toBe(0);
      });
      // Cells: each hot token, then everything else together.
      const cell = (values: number[]) => [
        ...hot.map((id) => values[id] as number),
        values.reduce((a, b) => a + b, 0) - hot.reduce((a, id) => a + (values[id] as number), 0),
      ];
      const observed = cell(counts);
      const expected = cell(probabilities);
      expect(chiSquare(observed, expected, times)).toBeLessThan(25);
    }
  });

  it('reaches the whole tail when nothing filters it', () => {
    const logits = new Float32Array(10000);
    const counts = draws(logits, { temperature: 1 }, 4000, 9);
    const hit = counts.filter((c) => c > 0).length;
    // 4000 uniform draws over 10000 tokens hit about 10000 * (1 - e^-0.4) ≈ 3297 distinct ones.
    expect(hit).toBeGreaterThan(3150);
    expect(hit).toBeLessThan(3450);
    const upperHalf = counts.slice(5000).reduce((a, b) => a + b, 0);
    expect(Math.abs(upperHalf - 2000)).toBeLessThan(200);
  });
});
