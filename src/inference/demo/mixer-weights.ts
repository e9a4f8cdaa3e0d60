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

/** Linear attention with a per-head decay: q/k/v projection, a short conv over them, out_proj. */
export interface LinearMixer {
  kind: 'linear';
  qkvProj: Matrix;
  conv: Matrix;
  outProj: Matrix;
  /** Per head, how much of the recurrent state survives each token (0 < decay < 1). */
  decay: Float32Array;
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
    const d = spec.linearHeads * spec.linearHeadDim;
    return {
      kind: 'linear',
      qkvProj: projection(seed, `${p}.in_proj_qkv.weight`, h, 3 * d),
      conv: projection(seed, `${p}.conv1d.weight`, 3 * d, k),
      outProj: projection(seed, `${p}.out_proj.weight`, d, h),
      // RetNet's decays: 1 - 2^(-5 - head), slow to fast forgetting across heads.
      decay: Float32Array.from({ length: spec.linearHeads }, (_, i) => 1 - 2 ** (-5 - i)),
    };
  }
  return undefined;
}
