/**
 * Llama self-attention in plain ONNX ops: rotary embedding from position_ids (HF rotate_half
 * convention), past/present KV concatenation, grouped-query expansion, and a mask that combines
 * causality over absolute positions with the attention_mask (padding).
 */
import { attr, type GraphBuilder } from './graph-builder.js';
import type { LinearEmitter } from './linear.js';
import { pastKeyName, pastValueName, presentKeyName, presentValueName } from './llama-io.js';
import { DataType } from './onnx-proto.js';
import type { DemoSpec } from './spec.js';
import type { LayerWeights } from './weights.js';

/** cos/sin of the rotary angles, [batch, 1, seq, head_dim], shared by all layers. */
export interface RotaryTables {
  cos: string;
  sin: string;
}

/** Masked scores get this instead of -inf, so a fully masked (padding) row is uniform, not NaN. */
const FLOAT32_LOWEST = -3.4028234663852886e38;

export function inverseFrequencies(spec: DemoSpec): Float32Array {
  const half = spec.headDim / 2;
  return Float32Array.from({ length: half }, (_, i) => 1 / spec.ropeTheta ** ((2 * i) / spec.headDim));
}

export function rotaryTables(g: GraphBuilder, spec: DemoSpec): RotaryTables {
  return g.scoped('rotary_emb', () => {
    const invFreq = g.floatWeight('model.rotary_emb.inv_freq', [spec.headDim / 2], inverseFrequencies(spec));
    const positions = g.op('Cast', ['position_ids'], { attributes: [attr.int('to', DataType.FLOAT)] });
    const angles = g.op('Mul', [g.op('Unsqueeze', [positions, g.int64([2])]), invFreq]); // [B,S,D/2]
    const full = g.op('Concat', [angles, angles], { attributes: [attr.int('axis', -1)] }); // [B,S,D]
    const perHead = (x: string) => g.op('Unsqueeze', [x, g.int64([1])]);
    return { cos: perHead(g.op('Cos', [full])), sin: perHead(g.op('Sin', [full])) };
  });
}

/** Boolean [batch, 1, seq, total]: query i (absolute past+i) may see key j. */
export function attentionAllowed(g: GraphBuilder): string {
  return g.scoped('attention_mask', () => {
    const shapeSlice = (input: string, axis: number) =>
      g.op('Shape', [input], { attributes: [attr.int('start', axis), attr.int('end', axis + 1)] });
    const past = shapeSlice(pastKeyName(0), 2);
    const scalar = (x: string) => g.op('Squeeze', [x, g.int64([0])]);
    const total = scalar(g.op('Add', [past, shapeSlice('input_ids', 1)]));
    const one = g.int64([1], []);
    const queryPos = g.op('Range', [scalar(past), total, one]); // [S]: absolute positions past..total-1
    const keyPos = g.op('Range', [g.int64([0], []), total, one]); // [T]
    const causal = g.op('LessOrEqual', [
      g.op('Unsqueeze', [keyPos, g.int64([0])]),
      g.op('Unsqueeze', [queryPos, g.int64([1])]),
    ]); // [S,T]
    const keep = g.op('Cast', ['attention_mask'], { attributes: [attr.int('to', DataType.BOOL)] });
    return g.op('And', [causal, g.op('Unsqueeze', [keep, g.int64([1, 2])])]);
  });
}

/** [B, S, heads*D] -> [B, heads, S, D]. */
function splitHeads(g: GraphBuilder, x: string, heads: number, headDim: number): string {
  const reshaped = g.op('Reshape', [x, g.int64([0, 0, heads, headDim])]);
  return g.op('Transpose', [reshaped], { attributes: [attr.ints('perm', [0, 2, 1, 3])] });
}

/** x * cos + rotate_half(x) * sin, with rotate_half(x) = concat(-x2, x1) over the last axis. */
function applyRotary(g: GraphBuilder, x: string, rotary: RotaryTables, headDim: number): string {
  const half = headDim / 2;
  const lastAxis = attr.int('axis', -1);
  const [x1, x2] = g.node('Split', [x, g.int64([half, half])], { outputs: 2, attributes: [lastAxis] });
  if (x1 === undefined || x2 === undefined) throw new Error('Split gave fewer than two outputs');
  const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { attributes: [lastAxis] });
  return g.op('Add', [g.op('Mul', [x, rotary.cos]), g.op('Mul', [rotated, rotary.sin])]);
}

export function selfAttention(
  g: GraphBuilder,
  spec: DemoSpec,
  layer: number,
  x: string,
  w: LayerWeights,
  linear: LinearEmitter,
  rotary: RotaryTables,
  allowed: string,
): string {
  return g.scoped('self_attn', () => {
    const { numHeads, numKvHeads, headDim } = spec;
    const p = `model.layers.${layer}.self_attn`;
    const q = splitHeads(g, linear(g, x, `${p}.q_proj.weight`, w.qProj), numHeads, headDim);
    const k = splitHeads(g, linear(g, x, `${p}.k_proj.weight`, w.kProj), numKvHeads, headDim);
    const v = splitHeads(g, linear(g, x, `${p}.v_proj.weight`, w.vProj), numKvHeads, headDim);
    const concatAxis2 = { attributes: [attr.int('axis', 2)] };
    const presentKey = g.op('Concat', [pastKeyName(layer), applyRotary(g, k, rotary, headDim)], {
      ...concatAxis2,
      outputs: [presentKeyName(layer)],
    });
    const presentValue = g.op('Concat', [pastValueName(layer), v], {
      ...concatAxis2,
      outputs: [presentValueName(layer)],
    });
    const keys = repeatKv(g, presentKey, spec);
    const values = repeatKv(g, presentValue, spec);
    const keysT = g.op('Transpose', [keys], { attributes: [attr.ints('perm', [0, 1, 3, 2])] });
    const rawScores = g.op('MatMul', [applyRotary(g, q, rotary, headDim), keysT]);
    const scores = g.op('Mul', [rawScores, g.float([1 / Math.sqrt(headDim)])]);
    const masked = g.op('Where', [allowed, scores, g.float([FLOAT32_LOWEST])]);
    const probs = g.op('Softmax', [masked], { attributes: [attr.int('axis', -1)] });
    const context = g.op('Transpose', [g.op('MatMul', [probs, values])], {
      attributes: [attr.ints('perm', [0, 2, 1, 3])],
    });
    const merged = g.op('Reshape', [context, g.int64([0, 0, numHeads * headDim])]);
    return linear(g, merged, `${p}.o_proj.weight`, w.oProj);
  });
}

/** [B, kvHeads, T, D] -> [B, heads, T, D]: query head h uses KV head floor(h / (heads/kvHeads)). */
function repeatKv(g: GraphBuilder, x: string, spec: DemoSpec): string {
  const groups = spec.numHeads / spec.numKvHeads;
  if (groups === 1) return x;
  const expanded = g.op('Expand', [g.op('Unsqueeze', [x, g.int64([2])]), g.int64([1, 1, groups, 1, 1])]);
  return g.op('Reshape', [expanded, g.int64([0, spec.numHeads, -1, spec.headDim])]);
}
