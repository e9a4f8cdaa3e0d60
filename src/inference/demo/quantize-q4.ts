/**
 * 4-bit block quantization in the layout of onnxruntime's com.microsoft MatMulNBits (bits=4):
 *   B           uint8 [N, blocks, blockSize/2]: column n of the [K, N] weight, split along K into
 *               blocks; two codes a byte, the even k in the low nibble, the odd k in the high nibble
 *   scales      float [N * blocks]
 *   zero_points uint8 [N * ceil(blocks/2)]: packed like B, each row padded to whole bytes
 * and dequantization w = (code - zero_point) * scale.
 */
import type { Matrix } from './weights.js';

export interface Q4Weight {
  k: number;
  n: number;
  blockSize: number;
  blocks: number;
  b: Uint8Array;
  scales: Float32Array;
  zeroPoints: Uint8Array;
}

const MAX_CODE = 15;

/** Quantizes a [K, N] matrix with an asymmetric min/max range (always containing 0) per block. */
export function quantizeQ4(weight: Matrix, blockSize: number): Q4Weight {
  const { rows: k, cols: n, data } = weight;
  if (blockSize % 2 !== 0) throw new Error('blockSize must be even');
  const blocks = Math.ceil(k / blockSize);
  const blobSize = blockSize / 2;
  const zpRow = Math.ceil(blocks / 2);
  const b = new Uint8Array(n * blocks * blobSize);
  const scales = new Float32Array(n * blocks);
  const zeroPoints = new Uint8Array(n * zpRow);
  for (let col = 0; col < n; col += 1) {
    for (let blk = 0; blk < blocks; blk += 1) {
      const start = blk * blockSize;
      const end = Math.min(start + blockSize, k);
      let lo = 0;
      let hi = 0;
      for (let r = start; r < end; r += 1) {
        const v = data[r * n + col] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const scale = Math.fround(hi > lo ? (hi - lo) / MAX_CODE : 1);
      const zp = Math.min(MAX_CODE, Math.max(0, Math.round(-lo / scale)));
      scales[col * blocks + blk] = scale;
      const zpIndex = col * zpRow + (blk >> 1);
      zeroPoints[zpIndex] = (zeroPoints[zpIndex] as number) | (zp << ((blk & 1) * 4));
      const blob = (col * blocks + blk) * blobSize;
      for (let r = start; r < end; r += 1) {
        const v = data[r * n + col] as number;
        const code = Math.min(MAX_CODE, Math.max(0, Math.round(v / scale) + zp));
        const i = r - start;
        const at = blob + (i >> 1);
        b[at] = (b[at] as number) | (code << ((i & 1) * 4));
      }
    }
  }
  return { k, n, blockSize, blocks, b, scales, zeroPoints };
}

/** The [K, N] matrix a Q4Weight stands for (what MatMulNBits multiplies by). */
export function dequantizeQ4(q: Q4Weight): Matrix {
  const { k, n, blockSize, blocks } = q;
  const blobSize = blockSize / 2;
  const zpRow = Math.ceil(blocks / 2);
  const data = new Float32Array(k * n);
  for (let col = 0; col < n; col += 1) {
    for (let r = 0; r < k; r += 1) {
      const blk = Math.floor(r / blockSize);
      const i = r - blk * blockSize;
      const byte = q.b[(col * blocks + blk) * blobSize + (i >> 1)] as number;
      const code = (byte >> ((i & 1) * 4)) & 0xf;
      const zp = ((q.zeroPoints[col * zpRow + (blk >> 1)] as number) >> ((blk & 1) * 4)) & 0xf;
      data[r * n + col] = (code - zp) * (q.scales[col * blocks + blk] as number);
    }
  }
  return { data, rows: k, cols: n };
}
