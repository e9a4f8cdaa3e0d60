import type { SamplingParams } from '../../../src/inference/sampling/params.js';

/**
 * The textbook version, for comparison: penalty, temperature, softmax, then top-k / top-p / min-p by
 * a full sort. Returns each token's probability.
 */
export function referenceProbabilities(
  logits: ArrayLike<number>,
  params: SamplingParams,
  previous: number[] = [],
): number[] {
  const row = Array.from(logits);
  const penalty = params.repetitionPenalty ?? 1;
  for (const id of new Set(previous)) {
    const v = row[id] as number;
    row[id] = v > 0 ? v / penalty : v * penalty;
  }
  const scaled = row.map((v) => v / params.temperature);
  const max = scaled.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const weights = scaled.map((v) => Math.exp(v - max));
  const order = weights.map((_, i) => i).sort((a, b) => (weights[b] as number) - (weights[a] as number));
  let keep = order.length;
  if (params.topK) keep = Math.min(keep, params.topK);
  const total = order.slice(0, keep).reduce((sum, i) => sum + (weights[i] as number), 0);
  if (params.topP !== undefined && params.topP < 1) {
    let sum = 0;
    for (let j = 0; j < keep; j++) {
      sum += weights[order[j] as number] as number;
      if (sum >= params.topP * total) {
        keep = j + 1;
        break;
      }
    }
  }
  const kept = order.slice(0, keep).filter((i) => (weights[i] as number) >= (params.minP ?? 0));
  const probabilities = new Array<number>(row.length).fill(0);
  const keptTotal = kept.reduce((sum, i) => sum + (weights[i] as number), 0);
  for (const i of kept) probabilities[i] = (weights[i] as number) / keptTotal;
  return probabilities;
}

/** Pearson's chi-square statistic of observed counts against probabilities (cells with p > 0). */
export function chiSquare(counts: number[], probabilities: number[], draws: number): number {
  let statistic = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const expected = (probabilities[i] as number) * draws;
    if (expected === 0) continue;
    statistic += ((counts[i] ?? 0) - expected) ** 2 / expected;
  }
  return statistic;
}
