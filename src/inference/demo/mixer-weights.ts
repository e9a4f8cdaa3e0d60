/**
 * Weights of the hybrids' non-attention token mixers (the attention layers and every MLP use the
 * Llama weights of weights.ts). Seeded per tensor name, like the rest.
 */
import { normalTensor } from './random.js';
import type { DemoSpec } from './spec.js';
import type { Matrix } from './weights.js';

/** LFM2's gated short convolution: in_proj to B, C and x; depthwise conv of B*x; C gate; out_proj. */
export interface ConvMixer {
  kind: 'conv';
  inProj: Matrix;
  /** [channels, kernel]. */
  conv: Matrix;
  outProj: Matrix;
}

/**
 * Qwen3.5's Gated DeltaNet, named as transformers names it: q/k/v projection and a short conv over
 * them; z (the output gate), b (the write strength beta) and a (the decay's input) projections;
 * A_log and dt_bias (the decay g = -exp(A_log) * softplus(a + dt_bias)); the gated RMS norm's
 * weight; out_proj.
 */
export interface LinearMixer {
  kind: 'linear';
  qkvProj: Matrix;
  zProj: Matrix;
  bProj: Matrix;
  aProj: Matrix;
  conv: Matrix;
  /** [heads]. */
  aLog: Float32Array;
  /** [heads]. */
  dtBias: Float32Array;
  /** [value head dim]. */
  norm: Float32Array;
  outProj: Matrix;
}

export type Mixer = ConvMixer | LinearMixer;

function projection(seed: number, name: string, rows: number, cols: number): Matrix {
  return { data: normalTensor(seed, name, rows * cols, 1 / Math.sqrt(rows)), rows, cols };
}

/** The mixer of layer `layer`, or undefined for an attention layer. */
export function mixerWeights(spec: DemoSpec, seed: number, layer: number): Mixer | undefined {
  const type = spec.layerTypes[layer];
  const h = spec.hiddenSize;
  const k = spec.convKernel;
  if (type === 'conv') {
    const p = `model.layers.${layer}.conv`;
    return {
      kind: 'conv',
      inProj: projection(seed, `${p}.in_proj.weight`, h, 3 * h),
      conv: projection(seed, `${p}.conv.weight`, h, k),
      outProj: projection(seed, `${p}.out_proj.weight`, h, h),
    };
  }
  if (type === 'linear_attention') {
    const p = `model.layers.${layer}.linear_attn`;
    const heads = spec.linearHeads;
    const d = heads * spec.linearHeadDim;
    return {
      kind: 'linear',
      qkvProj: projection(seed, `${p}.in_proj_qkv.weight`, h, 3 * d),
      zProj: projection(seed, `${p}.in_proj_z.weight`, h, d),
      bProj: projection(seed, `${p}.in_proj_b.weight`, h, heads),
      aProj: projection(seed, `${p}.in_proj_a.weight`, h, heads),
      conv: projection(seed, `${p}.conv1d.weight`, 3 * d, k),
      // transformers' initial values: A uniform in (0, 16) (here spread evenly, 1..16), dt_bias and
      // the norm's weight ones.
      aLog: Float32Array.from({ length: heads }, (_, i) => Math.log(1 + (15 * i) / Math.max(1, heads - 1))),
      dtBias: new Float32Array(heads).fill(1),
      norm: new Float32Array(spec.linearHeadDim).fill(1),
      outProj: projection(seed, `${p}.out_proj.weight`, d, h),
    };
  }
  return undefined;
}
