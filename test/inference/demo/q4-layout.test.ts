import { describe, expect, it } from 'vitest';
import { dequantizeQ4, quantizeQ4 } from '../../../src/inference/demo/quantize-q4.js';
import { normalTensor } from '../../../src/inference/demo/random.js';

describe('4-bit MatMulNBits quantization', () => {
  it('packs codes low nibble first, column-major blocks, with packed zero points', () => {
    // K = 4 (one block of 4), N = 1: values 0, 1, 2, 3 -> range [0, 3], scale 0.2, zero point 0.
    const q = quantizeQ4({ data: Float32Array.from([0, 1, 2, 3]), rows: 4, cols: 1 }, 4);
    expect(q.blocks).toBe(1);
    expect(Array.from(q.scales)).toEqual([Math.fround(0.2)]);
    expect(Array.from(q.zeroPoints)).toEqual([0]);
    // codes 0, 5, 10, 15 -> bytes [0x50, 0xf0 | 10]
    expect(Array.from(q.b)).toEqual([0x50, 0xfa]);
  });

  it('puts odd blocks in the high nibble of the zero-point byte', () => {
    // K = 4 with block 2: block 0 = [0, 3] (zero point 0), block 1 = [-1, 2] (scale 0.2, zero point 5)
    const q = quantizeQ4({ data: Float32Array.from([0, 3, -1, 2]), rows: 4, cols: 1 }, 2);
    expect(q.zeroPoints.length).toBe(1);
    expect(q.zeroPoints[0]).toBe((5 << 4) | 0);
  });

  it('reconstructs weights within half a quantization step', () => {
    const k = 96;
    const n = 5;
    const data = normalTensor(1, 'q4-test', k * n, 0.5);
    const q = quantizeQ4({ data, rows: k, cols: n }, 32);
    expect(q.b.length).toBe(n * 3 * 16);
    const back = dequantizeQ4(q);
    for (let r = 0; r < k; r += 1) {
      for (let c = 0; c < n; c += 1) {
        const scale = q.scales[c * 3 + Math.floor(r / 32)] as number;
        expect(Math.abs((back.data[r * n + c] as number) - (data[r * n + c] as number))).toBeLessThanOrEqual(
          scale / 2 + 1e-6,
        );
      }
    }
  });
});
