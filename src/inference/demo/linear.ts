/** How a projection `x @ W` is emitted: a float MatMul, or a 4-bit com.microsoft MatMulNBits. */

import { DataType } from '../onnx-proto/onnx-proto.js';
import { attr, type GraphBuilder } from './graph-builder.js';
import { quantizeQ4 } from './quantize-q4.js';
import type { Matrix } from './weights.js';

/** Emits `input @ weight` (weight [in, out]) with initializers named after `name`; returns the output. */
export type LinearEmitter = (g: GraphBuilder, input: string, name: string, weight: Matrix) => string;

export const MS_DOMAIN = 'com.microsoft';

export const fp32Linear: LinearEmitter = (g, input, name, weight) => {
  const w = g.floatWeight(name, [weight.rows, weight.cols], weight.data);
  return g.op('MatMul', [input, w]);
};

export function q4Linear(blockSize: number): LinearEmitter {
  return (g, input, name, weight) => {
    const q = quantizeQ4(weight, blockSize);
    const b = g.initializer(`${name}_Q4`, DataType.UINT8, [q.n, q.blocks, q.blockSize / 2], q.b);
    const scales = g.floatWeight(`${name}_scales`, [q.n * q.blocks], q.scales);
    const zp = g.initializer(`${name}_zero_points`, DataType.UINT8, [q.zeroPoints.length], q.zeroPoints);
    return g.op('MatMulNBits', [input, b, scales, zp], {
      domain: MS_DOMAIN,
      attributes: [
        attr.int('K', q.k),
        attr.int('N', q.n),
        attr.int('bits', 4),
        attr.int('block_size', q.blockSize),
      ],
    });
  };
}
