import { describe, expect, it } from 'vitest';
import { characterErrorRate, editDistance, normalizeForCer } from '../../../src/inference/ocr/cer.js';

describe('character error rate', () => {
  it('counts insertions, deletions and substitutions over code points', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('数据库', '数库')).toBe(1);
    expect(editDistance('😀a', 'a')).toBe(1);
  });

  it('normalizes width, whitespace and spaces between Chinese characters alike for every reader', () => {
    expect(normalizeForCer('连接 失败 ， 请  检查')).toBe('连接失败,请检查');
    expect(normalizeForCer('  Error:\n  connect\tfailed ')).toBe('Error: connect failed');
    expect(normalizeForCer('ＡＢＣ１２３')).toBe('ABC123');
  });

  it('divides the errors by the reference length', () => {
    expect(characterErrorRate('hello world', 'hallo world')).toEqual({ errors: 1, length: 11, cer: 1 / 11 });
    expect(characterErrorRate('数据 库', '数据库')).toEqual({ errors: 0, length: 3, cer: 0 });
    expect(characterErrorRate('', 'x').cer).toBe(1);
  });
});
