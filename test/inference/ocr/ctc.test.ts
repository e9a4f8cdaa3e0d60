import { describe, expect, it } from 'vitest';
import { ctcDecode, SPACE_HINT } from '../../../src/inference/ocr/ctc.js';

const CHARSET = ['', 'a', 'b', '中', '文', ' '];

/** Steps given as [best class, its probability, space probability]. */
function probs(steps: [number, number, number?][]): Float32Array {
  const out = new Float32Array(steps.length * CHARSET.length);
  steps.forEach(([best, p, space = 0], t) => {
    const rest = (1 - p - space) / (CHARSET.length - 2);
    for (let k = 0; k < CHARSET.length; k++)
      out[t * CHARSET.length + k] = k === best ? p : k === 5 ? space : rest;
    if (best === 5) out[t * CHARSET.length + 5] = p;
  });
  return out;
}

describe('CTC greedy decoding', () => {
  it('collapses repeats, drops blanks and keeps a letter doubled across a blank', () => {
    const p = probs([
      [1, 0.9],
      [1, 0.8],
      [0, 0.9],
      [1, 0.7],
      [2, 0.6],
      [2, 0.9],
    ]);
    const decoded = ctcDecode(p, 0, 6, CHARSET.length, CHARSET);
    expect(decoded.text).toBe('aab');
    expect(decoded.confidence).toBeCloseTo((0.9 + 0.7 + 0.6) / 3, 5);
  });

  it('restores a word gap from the space class and never puts one between CJK characters', () => {
    const gap = SPACE_HINT + 0.05;
    const p = probs([
      [1, 0.9],
      [0, 0.8, gap],
      [2, 0.9],
      [0, 0.9, 0.001],
      [1, 0.9],
      [0, 0.8, gap],
      [3, 0.9],
      [0, 0.8, gap],
      [4, 0.9],
    ]);
    expect(ctcDecode(p, 0, 9, CHARSET.length, CHARSET).text).toBe('a ba 中文');
  });

  it('reads a sequence at an offset (one slot of a batch) and gives empty text no confidence', () => {
    const batch = new Float32Array([
      ...probs([[1, 0.9]]),
      ...probs([
        [0, 0.9],
        [0, 0.9],
      ]),
    ]);
    expect(ctcDecode(batch, CHARSET.length, 2, CHARSET.length, CHARSET)).toEqual({ text: '', confidence: 0 });
    expect(ctcDecode(batch, 0, 1, CHARSET.length, CHARSET).text).toBe('a');
  });
});
