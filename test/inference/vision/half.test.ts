import { describe, expect, it } from 'vitest';
import { halfToFloat } from '../../../src/inference/onnx/half.js';
import { floatToHalf } from '../../../src/inference/vision/half.js';

describe('floatToHalf (pixels for a float16 vision encoder)', () => {
  it('round-trips half-precision values exactly and rounds others to the nearest half', () => {
    const exact = Float32Array.from([0, 1, -1, 0.5, -2.25, 0.099975586, 1024, 65504, -65504]);
    expect(Array.from(halfToFloat(floatToHalf(exact)))).toEqual(Array.from(exact));
    const values = Float32Array.from({ length: 2001 }, (_, i) => (i - 1000) / 371);
    const back = halfToFloat(floatToHalf(values));
    for (const [i, v] of values.entries()) {
      // Half precision keeps 11 significant bits: the error is at most half a unit in the last place.
      expect(Math.abs((back[i] as number) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 1e-7);
    }
    expect(Array.from(halfToFloat(floatToHalf(Float32Array.from([1e6, -1e6]))))).toEqual([
      Infinity,
      -Infinity,
    ]);
  });
});
