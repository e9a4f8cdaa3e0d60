/** Levenshtein distance over code points (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[y.length] as number;
}

const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef';
const SPACE_NEAR_CJK = new RegExp(`(?<=[${CJK}]) | (?=[${CJK}])`, 'gu');

/**
 * The text as compared: NFKC (full-width forms become ASCII), whitespace runs to one space, and no
 * spaces next to CJK characters (Chinese has none; tesseract puts one between every character).
 */
export function normalizeForCer(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim().replace(SPACE_NEAR_CJK, '');
}

/** Character error rate: edit distance over the reference's length, after normalizing both. */
export function characterErrorRate(
  reference: string,
  hypothesis: string,
): { errors: number; length: number; cer: number } {
  const ref = normalizeForCer(reference);
  const hyp = normalizeForCer(hypothesis);
  const errors = editDistance(ref, hyp);
  const length = [...ref].length;
  return { errors, length, cer: length === 0 ? (errors === 0 ? 0 : 1) : errors / length };
}
