import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/inference/sampling/rng.js';

describe('createRng', () => {
  it('gives floats in [0, 1), the same for the same seed', () => {
    const a = createRng(123);
    const b = createRng(123);
    for (let i = 0; i < 10000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('gives different streams for different seeds, even neighbouring ones', () => {
    const first = (seed: number) => Array.from({ length: 5 }, createRng(seed));
    expect(first(1)).not.toEqual(first(2));
    expect(first(0)).not.toEqual(first(2 ** 31));
  });

  it('is roughly uniform', () => {
    const rng = createRng(99);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100000; i++) {
      const bin = Math.floor(rng() * 10);
      bins[bin] = (bins[bin] as number) + 1;
    }
    for (const count of bins) expect(Math.abs(count - 10000)).toBeLessThan(400);
  });

  it('accepts any number as a seed', () => {
    expect(createRng(2.7)()).toBe(createRng(2)());
    expect(createRng(-1)()).toBe(createRng(2 ** 32 - 1)());
    expect(createRng(Number.NaN)()).toBe(createRng(0)());
  });
});
