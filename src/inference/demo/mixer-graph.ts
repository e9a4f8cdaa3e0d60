/**
 * The hybrids' non-attention token mixers in plain ONNX ops, each with a fixed-size state per row
 * that a step takes as `past_*.N` and returns as `present_*.N`:
 * - a causal depthwise convolution whose state is the last `kernel` inputs (LFM2's short conv,
 *   and the conv before Qwen3.5's linear attention): [batch, channels, kernel];
 * - Qwen3.5's Gated DeltaNet: the gated delta rule S_t = g_t S_(t-1) + k_t^T ((v_t - k_t g_t S_(t-1)) beta_t),
 *   o_t = q_t S_t, one token at a time (a Scan), its state [batch, heads, key dim, value dim].
 * A zero state is exactly "nothing before": full recomputation starts from zeros.
 */
import { DataType, type GraphDef } from '../onnx-proto/onnx-proto.js';
import { attr, GraphBuilder } from './graph-builder.js';
import type { LinearEmitter } from './linear.js';
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

/** x / sqrt(sum(x^2) + 1e-6) over the last axis (transformers' l2norm in the delta rule). */
function l2Normalize(g: GraphBuilder, x: string): string {
  const sum = g.op('ReduceSum', [g.op('Mul', [x, x]), g.int64([-1])], {
    attributes: [attr.int('keepdims', 1)],
  });
  return g.op('Div', [x, g.op('Sqrt', [g.op('Add', [sum, g.float([1e-6])])])]);
}

/**
 * One token of the gated delta rule, the body of a Scan over the sequence: with the state S
 * [B, H, dk, dv] and the token's q, k [B, H, 1, dk], v [B, H, 1, dv], decay and beta [B, H, 1, 1]:
 * S' = decay S; S'' = S' + k^T ((v - k S') beta); o = q S''. No constants: every name is the body's own.
 */
function deltaRuleStep(scope: string, spec: DemoSpec): GraphDef {
  const b = new GraphBuilder();
  const { linearHeads: heads, linearHeadDim: dim } = spec;
  const n = (what: string) => `${scope}/${what}`;
  const [state, q, k, v, decay, beta] = ['state', 'q', 'k', 'v', 'decay', 'beta'].map(n) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  b.scoped(scope, () => {
    const decayed = b.op('Mul', [state, decay]);
    const error = b.op('Sub', [v, b.op('MatMul', [k, decayed])]);
    const kT = b.op('Transpose', [k], { attributes: [attr.ints('perm', [0, 1, 3, 2])] });
    const write = b.op('MatMul', [kT, b.op('Mul', [error, beta])]);
    b.op('Add', [decayed, write], { outputs: [n('state_out')] });
    b.op('MatMul', [q, n('state_out')], { outputs: [n('out')] });
  });
  const t = (name: string, shape: (number | string)[]) => ({ name, elemType: DataType.FLOAT, shape });
  const token = (name: string, width: number) => t(name, ['batch', heads, 1, width]);
  return {
    name: n('body'),
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [
      t(state, ['batch', heads, dim, dim]),
      token(q, dim),
      token(k, dim),
      token(v, dim),
      token(decay, 1),
      token(beta, 1),
    ],
    outputs: [t(n('state_out'), ['batch', heads, dim, dim]), token(n('out'), dim)],
  };
}

/**
 * Qwen3.5's Gated DeltaNet (transformers' Qwen3_5GatedDeltaNet, text path): q/k/v through the
 * short conv and SiLU, q and k l2-normalized (q also scaled by 1/sqrt(dk)); beta = sigmoid(b),
 * decay = exp(-exp(A_log) * softplus(a + dt_bias)); the delta rule token by token (a Scan over the
 * sequence) from past_recurrent.N, its last state present_recurrent.N; the output through the gated
 * RMS norm (weight * norm(o) * silu(z)) and out_proj. Sequential, so a prompt prefilled at once and
 * one fed token by token go through the same arithmetic.
 */
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
    const perHead = (t: string) => g.op('Reshape', [t, g.int64([0, 0, heads, dim])]); // [B, S, H, D]
    const qkv = linear(g, x, `${p}.in_proj_qkv.weight`, w.qkvProj);
    const mixed = silu(g, causalConv(g, qkv, layer, `${p}.conv1d.weight`, w.conv));
    const [q0, k0, v] = split3(g, mixed, heads * dim).map(perHead) as [string, string, string];
    const q = g.op('Mul', [l2Normalize(g, q0), g.float([1 / Math.sqrt(dim)])]);
    const k = l2Normalize(g, k0);
    const beta = g.op('Sigmoid', [linear(g, x, `${p}.in_proj_b.weight`, w.bProj)]); // [B, S, H]
    const a = linear(g, x, `${p}.in_proj_a.weight`, w.aProj);
    const dtBias = g.floatWeight(`${p}.dt_bias`, [heads], w.dtBias);
    const aLog = g.floatWeight(`${p}.A_log`, [heads], w.aLog);
    const rate = g.op('Mul', [
      g.op('Neg', [g.op('Exp', [aLog])]),
      g.op('Softplus', [g.op('Add', [a, dtBias])]),
    ]);
    const decay = g.op('Exp', [rate]); // [B, S, H]
    // Scan runs over axis 0: tokens become [S, B, H, 1, width].
    const tokens4 = (t: string) =>
      g.op('Unsqueeze', [
        g.op('Transpose', [t], { attributes: [attr.ints('perm', [1, 0, 2, 3])] }),
        g.int64([3]),
      ]);
    const tokens3 = (t: string) =>
      g.op('Unsqueeze', [
        g.op('Transpose', [t], { attributes: [attr.ints('perm', [1, 0, 2])] }),
        g.int64([3, 4]),
      ]);
    const body = deltaRuleStep(`/model/layers.${layer}/linear_attn/delta_rule`, spec);
    const [, outs] = g.node(
      'Scan',
      [pastRecurrentName(layer), tokens4(q), tokens4(k), tokens4(v), tokens3(decay), tokens3(beta)],
      {
        outputs: [presentRecurrentName(layer), g.unique('/delta_rule/outputs')],
        attributes: [attr.graph('body', body), attr.int('num_scan_inputs', 5)],
      },
    );
    // [S, B, H, 1, D] -> [B, S, H, D]
    const o = g.op('Transpose', [g.op('Squeeze', [outs as string, g.int64([3])])], {
      attributes: [attr.ints('perm', [1, 0, 2, 3])],
    });
    const meanSquare = g.op('ReduceMean', [g.op('Mul', [o, o])], {
      attributes: [attr.ints('axes', [-1]), attr.int('keepdims', 1)],
    });
    const normed = g.op('Div', [o, g.op('Sqrt', [g.op('Add', [meanSquare, g.float([spec.rmsNormEps])])])]);
    const weighted = g.op('Mul', [normed, g.floatWeight(`${p}.norm.weight`, [dim], w.norm)]);
    const z = perHead(linear(g, x, `${p}.in_proj_z.weight`, w.zProj));
    const gated = g.op('Mul', [weighted, silu(g, z)]);
    const merged = g.op('Reshape', [gated, g.int64([0, 0, heads * dim])]);
    return linear(g, merged, `${p}.out_proj.weight`, w.outProj);
  });
}
