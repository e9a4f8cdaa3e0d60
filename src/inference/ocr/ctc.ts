export interface Decoded {
  text: string;
  /** Mean probability of the kept characters; 0 when none. */
  confidence: number;
}

/**
 * The PP-OCRv4 Chinese recognizer rarely emits its space class between English words (a known
 * limitation of the model: PaddleOCR issues 11386, 13199), but at a word gap the space class still
 * gets a few percent of the probability over the gap's steps while it stays near zero (< 0.2%) between
 * letters. A blank run whose space probabilities add up to this becomes a space (not between two
 * CJK characters).
 */
export const SPACE_HINT = 0.03;

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/**
 * Greedy CTC decoding of one sequence: the likeliest class per step, repeats collapsed, blanks
 * (class 0) dropped, word gaps restored from the space class (see SPACE_HINT). `probs` holds
 * `steps × classes` probabilities from `offset`; `charset[k]` is class k's text, the last a space.
 */
export function ctcDecode(
  probs: Float32Array,
  offset: number,
  steps: number,
  classes: number,
  charset: string[],
): Decoded {
  const space = charset[classes - 1] === ' ' ? classes - 1 : -1;
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  let gapSpace = 0;
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
    if (best === 0) {
      if (space >= 0) gapSpace += probs[row + space] as number;
    } else if (best !== previous) {
      const char = charset[best] ?? '';
      const last = text.slice(-1);
      const hinted = gapSpace >= SPACE_HINT && last !== '' && last !== ' ' && char !== ' ';
      if (hinted && !(CJK.test(last) && CJK.test(char))) text += ' ';
      text += char;
      sum += bestP;
      kept++;
      gapSpace = 0;
    }
    previous = best;
  }
  return { text, confidence: kept === 0 ? 0 : sum / kept };
}
