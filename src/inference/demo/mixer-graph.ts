/**
 * The hybrids' non-attention token mixers in plain ONNX ops, each with a fixed-size state per row
 * that a step takes as `past_*.N` and returns as `present_*.N`:
 * - a causal depthwise convolution whose state is the last `kernel` inputs (LFM2's short conv,
 *   and the conv before Qwen3.5's linear attention): [batch, channels, kernel];
 * - linear attention with a per-head decay (RetNet's retention; Qwen3.5's Gated DeltaNet has the
 *   same interface): S_t = decay * S_(t-1) + k_t^T v_t and o_t = q_t S_t, computed for a whole
 *   chunk at once from the chunk's start state: [batch, heads, dim, dim].
 * A zero state is exactly "nothing before": full recomputation starts from zeros.
 */
import { DataType } from '../onnx-proto/onnx-proto.js';
import { attr, type GraphBuilder } from './graph-builder.js';
import type { LinearEmitter } from './linear.js';
import { shapeSlice, splitHeads } from './llama-attention.js';
import type { ConvMixer, LinearMixer } from './mixer-weights.js';
import type { DemoSpec } from './spec.js';

export const pastConvName = (layer: number): string => `past_conv.${layer}`;
export const presentConvName = (layer: number): string => `present_conv.${layer}`;
export const pastRecurrentName = (layer: number): string => `past_recurrent.${layer}`;
export const presentRecurrentName = (layer: number): string => `present_recurrent.${layer}`;

const TO_END = 2 ** 62;

/** Causal depthwise conv over x [B, S, C] continuing from the state; writes the new state. */
function causalConv(
  g: GraphBuilder,
  x: string,
  layer: number,
  name: string,
  weight: ConvMixer['conv'],
): string {
  return g.scoped('conv', () => {
    const channels = weight.rows;
    const kernel = weight.cols;
    const xt = g.op('Transpose', [x], { attributes: [attr.ints('perm', [0, 2, 1])] }); // [B,C,S]
    const full = g.op('Concat', [pastConvName(layer), xt], { attributes: [attr.int('axis', 2)] });
    g.op('Slice', [full, g.int64([-kernel]), g.int64([TO_END]), g.int64([2])], {
      outputs: [presentConvName(layer)],
    });
    const w = g.floatWeight(name, [channels, 1, kernel], weight.data);
    const conv = g.op('Conv', [full, w], {
      attributes: [attr.int('group', channels), attr.ints('kernel_shape', [kernel])],
    }); // [B, C, S + 1]: window j ends at input j + kernel - 1; the first ends on the state alone
    const y = g.op('Slice', [conv, g.int64([1]), g.int64([TO_END]), g.int64([2])]);
    return g.op('Transpose', [y], { attributes: [attr.ints('perm', [0, 2, 1])] });
  });
}

const silu = (g: GraphBuilder, x: string) => g.op('Mul', [x, g.op('Sigmoid', [x])]);

function split3(g: GraphBuilder, x: string, width: number): [string, string, string] {
  const [a, b, c] = g.node('Split', [x, g.int64([width, width, width])], {
    outputs: 3,
    attributes: [attr.int('axis', -1)],
  });
  if (a === undefined || b === undefined || c === undefined)
    throw new Error('Split gave fewer than 3 outputs');
  return [a, b, c];
}

/** LFM2's gated short convolution: out_proj(C * conv(B * x)). */
export function convMixer(
  g: GraphBuilder,
  spec: DemoSpec,
  layer: number,
  x: string,
  w: ConvMixer,
  linear: LinearEmitter,
): string {
  return g.scoped('conv', () => {
    const p = `model.layers.${layer}.conv`;
    const [b, c, xx] = split3(g, linear(g, x, `${p}.in_proj.weight`, w.inProj), spec.hiddenSize);
    const conv = causalConv(g, g.op('Mul', [b, xx]), layer, `${p}.conv.weight`, w.conv);
    return linear(g, g.op('Mul', [c, conv]), `${p}.out_proj.weight`, w.outProj);
  });
}

/** Linear attention over the chunk, continuing from past_recurrent.N and writing present_recurrent.N. */
export function linearMixer(
  g: GraphBuilder,
  spec: DemoSpec,
  layer: number,
  x: string,
  w: LinearMixer,
  linear: LinearEmitter,
): string {
  return g.scoped('linear_attn', () => {
    const { linearHeads: heads, linearHeadDim: dim } = spec;
    const p = `model.layers.${layer}.linear_attn`;
    const qkv = linear(g, x, `${p}.in_proj_qkv.weight`, w.qkvProj);
    const mixed = silu(g, causalConv(g, qkv, layer, `${p}.conv1d.weight`, w.conv));
    const [q0, k0, v] = split3(g, mixed, heads * dim).map((t) => splitHeads(g, t, heads, dim)) as [
      string,
      string,
      string,
    ];
    const q = g.op('Mul', [q0, g.float([1 / Math.sqrt(dim)])]);
    const norm = g.op('ReduceSum', [g.op('Mul', [k0, k0]), g.int64([-1])], {
      attributes: [attr.int('keepdims', 1)],
    });
    const k = g.op('Div', [k0, g.op('Sqrt', [g.op('Add', [norm, g.float([1e-6])])])]);
    // Positions within the chunk, t = 0..S-1, and the decays they imply.
    const toFloat = (t: string) => g.op('Cast', [t], { attributes: [attr.int('to', DataType.FLOAT)] });
    const seq = toFloat(g.op('Squeeze', [shapeSlice(g, x, 1), g.int64([0])]));
    const t = g.op('Range', [g.float([0]), seq, g.float([1])]); // [S]
    const decay = g.floatWeight(`${p}.decay`, [heads, 1, 1], w.decay);
    const pow = (e: string) => g.op('Pow', [decay, e]);
    const diff = g.op('Sub', [g.op('Unsqueeze', [t, g.int64([1])]), g.op('Unsqueeze', [t, g.int64([0])])]);
    const within = g.op('Where', [
      g.op('GreaterOrEqual', [diff, g.float([0])]),
      pow(g.op('Relu', [diff])),
      g.float([0]),
    ]); // [H, S, S]: decay^(t-i) for i <= t
    const kT = (m: string) => g.op('Transpose', [m], { attributes: [attr.ints('perm', [0, 1, 3, 2])] });
    const intra = g.op('MatMul', [g.op('Mul', [g.op('MatMul', [q, kT(k)]), within]), v]);
    const column = g.op('Unsqueeze', [t, g.int64([1])]); // [S, 1]
    const past = pastRecurrentName(layer);
    const inter = g.op('Mul', [g.op('MatMul', [q, past]), pow(g.op('Add', [column, g.float([1])]))]);
    const weighted = g.op('Mul', [k, pow(g.op('Sub', [g.op('Sub', [seq, g.float([1])]), column]))]);
    g.op('Add', [g.op('Mul', [past, pow(seq)]), g.op('MatMul', [kT(weighted), v])], {
      outputs: [presentRecurrentName(layer)],
    });
    const out = g.op('Transpose', [g.op('Add', [intra, inter])], {
      attributes: [attr.ints('perm', [0, 2, 1, 3])],
    });
    const merged = g.op('Reshape', [out, g.int64([0, 0, heads * dim])]);
    return linear(g, merged, `${p}.out_proj.weight`, w.outProj);
  });
}
