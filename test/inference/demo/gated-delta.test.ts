/**
 * The generated Qwen3.5's linear-attention layer is Gated DeltaNet: its graph (one mixer alone,
 * run by onnxruntime) against a plain TypeScript transcription of transformers'
 * Qwen3_5GatedDeltaNet (torch_recurrent_gated_delta_rule), from a non-zero conv and recurrent state.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/inference/demo/graph-builder.js';
import { fp32Linear } from '../../../src/inference/demo/linear.js';
import {
  linearMixer,
  pastConvName,
  pastRecurrentName,
  presentConvName,
  presentRecurrentName,
} from '../../../src/inference/demo/mixer-graph.js';
import { type LinearMixer, mixerWeights } from '../../../src/inference/demo/mixer-weights.js';
import { modelDef } from '../../../src/inference/demo/model-def.js';
import { normalTensor } from '../../../src/inference/demo/random.js';
import { demoSpec } from '../../../src/inference/demo/spec.js';
import type { Matrix } from '../../../src/inference/demo/weights.js';
import { DataType, encodeModel } from '../../../src/inference/onnx-proto/onnx-proto.js';

const spec = { ...demoSpec('tiny', 'qwen3_5'), hiddenSize: 16, linearHeads: 2, linearHeadDim: 4 };
const H = spec.linearHeads;
const D = spec.linearHeadDim;
const C = 3 * H * D;
const K = spec.convKernel;
const SEQ = 5;

/** x [rows, in] @ W [in, out]. */
function matmul(x: Float32Array, rows: number, w: Matrix): Float64Array {
  const out = new Float64Array(rows * w.cols);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < w.rows; i++)
      for (let o = 0; o < w.cols; o++)
        out[r * w.cols + o] += (x[r * w.rows + i] as number) * (w.data[i * w.cols + o] as number);
  return out;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const l2 = (v: number[]) => {
  const n = Math.sqrt(v.reduce((s, a) => s + a * a, 0) + 1e-6);
  return v.map((a) => a / n);
};

/** transformers' Qwen3_5GatedDeltaNet on one sequence (batch 1), from the given states. */
function reference(w: LinearMixer, x: Float32Array, conv0: Float32Array, state0: Float32Array) {
  const qkv = matmul(x, SEQ, w.qkvProj);
  const z = matmul(x, SEQ, w.zProj);
  const b = matmul(x, SEQ, w.bProj);
  const a = matmul(x, SEQ, w.aProj);
  // Causal depthwise conv over [state (K columns), tokens], then SiLU.
  const column = (c: number, j: number) =>
    j < K ? (conv0[c * K + j] as number) : (qkv[(j - K) * C + c] as number);
  const mixed = new Float64Array(SEQ * C);
  for (let t = 0; t < SEQ; t++)
    for (let c = 0; c < C; c++) {
      let acc = 0;
      for (let i = 0; i < K; i++) acc += (w.conv.data[c * K + i] as number) * column(c, t + 1 + i);
      mixed[t * C + c] = acc * sigmoid(acc);
    }
  const convOut = new Float32Array(C * K);
  for (let c = 0; c < C; c++) for (let i = 0; i < K; i++) convOut[c * K + i] = column(c, SEQ + i);
  const S = Float64Array.from(state0);
  const out = new Float64Array(SEQ * H * D);
  for (let t = 0; t < SEQ; t++) {
    for (let h = 0; h < H; h++) {
      const at = (part: number) =>
        Array.from({ length: D }, (_, i) => mixed[t * C + part * H * D + h * D + i] as number);
      const q = l2(at(0)).map((v) => v / Math.sqrt(D));
      const k = l2(at(1));
      const v = at(2);
      const softplus = Math.log1p(Math.exp((a[t * H + h] as number) + (w.dtBias[h] as number)));
      const g = Math.exp(-Math.exp(w.aLog[h] as number) * softplus);
      const beta = sigmoid(b[t * H + h] as number);
      const s = (i: number, j: number) => h * D * D + i * D + j;
      for (let i = 0; i < D * D; i++) S[h * D * D + i] = (S[h * D * D + i] as number) * g;
      for (let j = 0; j < D; j++) {
        let kvMem = 0;
        for (let i = 0; i < D; i++) kvMem += (S[s(i, j)] as number) * (k[i] as number);
        const delta = ((v[j] as number) - kvMem) * beta;
        for (let i = 0; i < D; i++) S[s(i, j)] = (S[s(i, j)] as number) + (k[i] as number) * delta;
      }
      // Gated RMS norm of o over the head's values: norm(o) * weight * silu(z).
      const o = Array.from({ length: D }, (_, j) =>
        q.reduce((acc, qi, i) => acc + qi * (S[s(i, j)] as number), 0),
      );
      const rms = Math.sqrt(o.reduce((acc, v2) => acc + v2 * v2, 0) / D + spec.rmsNormEps);
      for (let j = 0; j < D; j++) {
        const zj = z[t * H * D + h * D + j] as number;
        out[t * H * D + h * D + j] = ((o[j] as number) / rms) * (w.norm[j] as number) * zj * sigmoid(zj);
      }
    }
  }
  return { y: matmul(Float32Array.from(out), SEQ, w.outProj), conv: convOut, state: S };
}

async function mixerSession(w: LinearMixer): Promise<ort.InferenceSession> {
  const g = new GraphBuilder();
  g.op('Identity', [linearMixer(g, spec, 0, 'x', w, fp32Linear)], { outputs: ['y'] });
  const f = (name: string, shape: (number | string)[]) => ({ name, elemType: DataType.FLOAT, shape });
  const model = modelDef(
    'gated_delta',
    g,
    {
      inputs: [
        f('x', [1, 'seq', spec.hiddenSize]),
        f(pastConvName(0), [1, C, K]),
        f(pastRecurrentName(0), [1, H, D, D]),
      ],
      outputs: [
        f('y', [1, 'seq', spec.hiddenSize]),
        f(presentConvName(0), [1, C, K]),
        f(presentRecurrentName(0), [1, H, D, D]),
      ],
    },
    false,
  );
  return ort.InferenceSession.create(encodeModel(model));
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

describe("the generated Qwen3.5's linear attention", () => {
  it('is the gated delta rule of transformers, states included, in a prefill and step by step', async () => {
    const w = mixerWeights(spec, 7, 0);
    if (w?.kind !== 'linear') throw new Error('layer 0 of the Qwen3.5 demo is linear attention');
    const x = normalTensor(1, 'x', SEQ * spec.hiddenSize, 1);
    const conv0 = normalTensor(2, 'conv', C * K, 0.5);
    const state0 = normalTensor(3, 'state', H * D * D, 0.5);
    const want = reference(w, x, conv0, state0);
    const session = await mixerSession(w);
    const feed = (xs: Float32Array, conv: Float32Array, state: Float32Array) => ({
      x: new ort.Tensor('float32', xs, [1, xs.length / spec.hiddenSize, spec.hiddenSize]),
      [pastConvName(0)]: new ort.Tensor('float32', conv, [1, C, K]),
      [pastRecurrentName(0)]: new ort.Tensor('float32', state, [1, H, D, D]),
    });
    const all = await session.run(feed(x, conv0, state0));
    const y = all.y?.data as Float32Array;
    expect(maxDiff(y, want.y)).toBeLessThan(1e-4);
    expect(maxDiff(all[presentConvName(0)]?.data as Float32Array, want.conv)).toBeLessThan(1e-5);
    expect(maxDiff(all[presentRecurrentName(0)]?.data as Float32Array, want.state)).toBeLessThan(1e-4);
    // Token by token from the returned states: the same outputs and final states.
    let conv = conv0;
    let state = state0;
    for (let t = 0; t < SEQ; t++) {
      const xt = x.slice(t * spec.hiddenSize, (t + 1) * spec.hiddenSize);
      const step = await session.run(feed(xt, conv, state));
      const row = y.slice(t * spec.hiddenSize, (t + 1) * spec.hiddenSize);
      expect(maxDiff(step.y?.data as Float32Array, row)).toBeLessThan(1e-5);
      conv = step[presentConvName(0)]?.data as Float32Array;
      state = step[presentRecurrentName(0)]?.data as Float32Array;
    }
    expect(maxDiff(state, want.state)).toBeLessThan(1e-4);
    await session.release();
  });
});
