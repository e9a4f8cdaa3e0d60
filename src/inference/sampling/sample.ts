import { GREEDY_TEMPERATURE, type SamplingParams } from './params.js';
import { penalize } from './penalty.js';
import { drawFromRow } from './row-draw.js';
import { argmax, type Candidates, topK } from './scan.js';

export { type SamplingParams, validateSamplingParams } from './params.js';

export interface SamplingContext {
  /** Prompt and generated ids so far (for the repetition penalty). */
  previousIds: ArrayLike<number> | Iterable<number>;
  /** Uniform floats in [0, 1); called once per sampled (non-greedy) token. */
  rng: () => number;
}

/** Draws among the candidates (largest first) after top-p and min-p. */
function drawCandidates(
  { ids, values }: Candidates,
  invT: number,
  topP: number,
  minP: number,
  u: number,
): number {
  const max = values[0] as number;
  const weights = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    weights[i] = Math.exp(((values[i] as number) - max) * invT);
    total += weights[i] as number;
  }
  let count = values.length;
  if (topP < 1) {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      sum += weights[i] as number;
      if (sum >= topP * total) {
        count = i + 1;
        break;
      }
    }
  }
  while (count > 1 && (weights[count - 1] as number) < minP) count--;
  let kept = 0;
  for (let i = 0; i < count; i++) kept += weights[i] as number;
  let target = u * kept;
  let last = 0;
  for (let i = 0; i < count; i++) {
    const w = weights[i] as number;
    if (w === 0) continue;
    last = i;
    target -= w;
    if (target < 0) return ids[i] as number;
  }
  return ids[last] as number;
}

/**
 * Picks the next token from one row of logits (not modified; a subarray is fine). Order, as in
 * Hugging Face: repetition penalty, temperature, top-k, top-p, min-p, then one draw with
 * `context.rng`. A temperature of at most 1e-5 is greedy (argmax, no rng call, no allocation
 * without a penalty). NaN logits throw; -Infinity ones are never drawn; a +Infinity one is taken.
 * With top-k, one heap pass selects the k best; without it, nothing is sorted (see row-draw.ts).
 */
export function sampleToken(logits: Float32Array, params: SamplingParams, context: SamplingContext): number {
  if (logits.length === 0) throw new Error('Cannot sample from an empty row of logits.');
  const row = penalize(logits, params.repetitionPenalty ?? 1, context.previousIds);
  if (!(params.temperature > GREEDY_TEMPERATURE)) return argmax(row);

  const invT = 1 / params.temperature;
  const topP = params.topP ?? 1;
  const minP = params.minP ?? 0;
  const k = params.topK ?? 0;
  if (k > 0 && k < row.length) {
    const candidates = topK(row, k);
    const best = candidates.values[0] as number;
    if (best === Number.POSITIVE_INFINITY) return candidates.ids[0] as number;
    if (best === Number.NEGATIVE_INFINITY)
      throw new Error('Every logit is -Infinity: no token can be chosen.');
    return drawCandidates(candidates, invT, topP, minP, context.rng());
  }
  const best = argmax(row);
  const max = row[best] as number;
  if (max === Number.POSITIVE_INFINITY) return best;
  if (max === Number.NEGATIVE_INFINITY) throw new Error('Every logit is -Infinity: no token can be chosen.');
  const drawn = drawFromRow(row, max, invT, topP, minP, context.rng());
  return drawn >= 0 ? drawn : best;
}
