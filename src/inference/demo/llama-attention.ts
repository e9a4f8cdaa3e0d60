/**
 * Llama self-attention in plain ONNX ops: rotary embedding from position_ids (HF rotate_half
 * convention), past/present KV concatenation, grouped-query expansion, and a mask that combines
 * causality over absolute positions with the attention_mask (padding).
 */

import { DataType } from '../onnx-proto/onnx-proto.js';
import { attr, type GraphBuilder } from './graph-builder.js';
import type { LinearEmitter } from './linear.js';
import { pastKeyName, pastValueName, presentKeyName, presentValueName } from './llama-io.js';
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

/** `positionIds`: the [batch, seq] positions the rotary angles come from. */
export function rotaryTables(g: GraphBuilder, spec: DemoSpec, positionIds = 'position_ids'): RotaryTables {
  return g.scoped('rotary_emb', () => {
    const invFreq = g.floatWeight('model.rotary_emb.inv_freq', [spec.headDim / 2], inverseFrequencies(spec));
    const positions = g.op('Cast', [positionIds], { attributes: [attr.int('to', DataType.FLOAT)] });
    const angles = g.op('Mul', [g.op('Unsqueeze', [positions, g.int64([2])]), invFreq]); // [B,S,D/2]
    return tablesOf(g, angles);
  });
}

/** cos/sin tables from [batch, seq, head_dim / 2] rotary angles (HF rotate_half: the angles twice). */
export function tablesOf(g: GraphBuilder, angles: string): RotaryTables {
  const full = g.op('Concat', [angles, angles], { attributes: [attr.int('axis', -1)] }); // [B,S,D]
  const perHead = (x: string) => g.op('Unsqueeze', [x, g.int64([1])]);
  return { cos: perHead(g.op('Cos', [full])), sin: perHead(g.op('Sin', [full])) };
}

/**
 * Boolean [batch, 1, groups*seq, total]: query row i (absolute position past + i mod seq) may see
 * key j. Rows repeat per query group, matching the stacked queries of selfAttention.
 */
export function attentionAllowed(
  g: GraphBuilder,
  groups: number,
  pastKey = pastKeyName(0),
  tokens = 'input_ids',
): string {
  return g.scoped('attention_mask', () => {
    const past = shapeSlice(g, pastKey, 2);
    const scalar = (x: string) => g.op('Squeeze', [x, g.int64([0])]);
    const total = scalar(g.op('Add', [past, shapeSlice(g, tokens, 1)]));
    const one = g.int64([1], []);
    const queryPos = g.op('Tile', [g.op('Range', [scalar(past), total, one]), g.int64([groups])]); // [G*S]
    const keyPos = g.op('Range', [g.int64([0], []), total, one]); // [T]
    const causal = g.op('LessOrEqual', [
      g.op('Unsqueeze', [keyPos, g.int64([0])]),
      g.op('Unsqueeze', [queryPos, g.int64([1])]),
    ]); // [S,T]
    const keep = g.op('Cast', ['attention_mask'], { attributes: [attr.int('to', DataType.BOOL)] });
    return g.op('And', [causal, g.op('Unsqueeze', [keep, g.int64([1, 2])])]);
  });
}

/** The length of `input`'s `axis`, as a 1-element int64 tensor. */
export function shapeSlice(g: GraphBuilder, input: string, axis: number): string {
  return g.op('Shape', [input], { attributes: [attr.int('start', axis), attr.int('end', axis + 1)] });
}

/** [B, S, heads*D] -> [B, heads, S, D]. */
export function splitHeads(g: GraphBuilder, x: string, heads: number, headDim: number): string {
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
  w: Pick<LayerWeights, 'qProj' | 'kProj' | 'vProj' | 'oProj'>,
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
    // Grouped-query attention without repeating K/V: the queries of the heads that share a KV head
    // are stacked along the sequence axis, [B, kvHeads, groups*S, D], so each product reads the
    // cached keys and values once.
    const rotatedQ = applyRotary(g, q, rotary, headDim);
    const groupedQ = g.op('Reshape', [rotatedQ, g.int64([0, numKvHeads, -1, headDim])]);
    const keysT = g.op('Transpose', [presentKey], { attributes: [attr.ints('perm', [0, 1, 3, 2])] });
    const rawScores = g.op('MatMul', [groupedQ, keysT]); // [B, kvHeads, groups*S, T]
    const scores = g.op('Mul', [rawScores, g.float([1 / Math.sqrt(headDim)])]);
    const masked = g.op('Where', [allowed, scores, g.float([FLOAT32_LOWEST])]);
    const probs = g.op('Softmax', [masked], { attributes: [attr.int('axis', -1)] });
    const grouped = g.op('MatMul', [probs, presentValue]); // [B, kvHeads, groups*S, D]
    const perHead = g.op('Reshape', [grouped, g.int64([0, numHeads, -1, headDim])]); // [B,H,S,D]
    const context = g.op('Transpose', [perHead], { attributes: [attr.ints('perm', [0, 2, 1, 3])] });
    const merged = g.op('Reshape', [context, g.int64([0, 0, numHeads * headDim])]);
    return linear(g, merged, `${p}.o_proj.weight`, w.oProj);
  });
}
