export interface Decoded {
  text: string;
  /** Mean probability of the kept characters; 0 when none. */
  confidence: number;
}

/**
 * Greedy CTC decoding of one sequence: the likeliest class per step, repeats collapsed, blanks
 * (class 0) dropped. `probs` holds `steps × classes` probabilities; `charset[k]` is class k's text.
 */
export function ctcDecode(probs: Float32Array, offset: number, steps: number, classes: number, charset: string[]): Decoded {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probs[row] as number;
    for (let k = 1; k < classes; k++) {
      const p = probs[row + k] as number;
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== 0 && best !== previous) {
      text += charset[best] ?? '';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept === 0 ? 0 : sum / kept };
}
