import { createRng } from '../../../src/inference/sampling/rng.js';
import { type SamplingParams, sampleToken } from '../../../src/inference/sampling/sample.js';

/** An rng that greedy sampling must never call. */
export const noRng = () => {
  throw new Error('greedy sampling must not draw');
};

export function randomLogits(length: number, seed: number, scale = 3): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => (rng() - 0.5) * 2 * scale);
}

/** How often each token is drawn in `times` draws from one seeded rng. */
export function draws(
  logits: Float32Array,
  params: SamplingParams,
  times: number,
  seed = 1,
  previousIds: number[] = [],
) {
  const rng = createRng(seed);
  const counts = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < times; i++) {
    const id = sampleToken(logits, params, { previousIds, rng });
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** The ids of the k largest logits, largest first. */
export function topIds(logits: Float32Array, k: number): number[] {
  return Array.from(logits.keys())
    .sort((a, b) => (logits[b] as number) - (logits[a] as number))
    .slice(0, k);
}
