/**
 * A plain TypeScript Llama forward pass (float64, one sequence, positions 0..n-1, no cache),
 * written from the architecture's definition, to check the ONNX graph against.
 */
import type { DemoSpec } from '../../../src/inference/demo/index.js';
import type { DemoWeights, Matrix } from '../../../src/inference/demo/weights.js';

type Rows = Float64Array[];

function matmul(x: Rows, w: Matrix): Rows {
  return x.map((row) => {
    const out = new Float64Array(w.cols);
    for (let k = 0; k < w.rows; k += 1) {
      const a = row[k] as number;
      const offset = k * w.cols;
      for (let n = 0; n < w.cols; n += 1) out[n] = (out[n] as number) + a * (w.data[offset + n] as number);
    }
    return out;
  });
}

function rmsNorm(x: Rows, weight: Float32Array, eps: number): Rows {
  return x.map((row) => {
    let sum = 0;
    for (const v of row) sum += v * v;
    const inv = 1 / Math.sqrt(sum / row.length + eps);
    return row.map((v, i) => v * inv * (weight[i] as number));
  });
}

function add(a: Rows, b: Rows): Rows {
  return a.map((row, r) => row.map((v, i) => v + ((b[r] as Float64Array)[i] as number)));
}

/** Rotates each head slice of a [seq, heads*D] projection in place (HF rotate_half convention). */
function rotary(x: Rows, heads: number, spec: DemoSpec): void {
  const d = spec.headDim;
  const half = d / 2;
  x.forEach((row, pos) => {
    for (let h = 0; h < heads; h += 1) {
      const base = h * d;
      for (let i = 0; i < half; i += 1) {
        const angle = pos / spec.ropeTheta ** ((2 * i) / d);
        const [c, s] = [Math.cos(angle), Math.sin(angle)];
        const x1 = row[base + i] as number;
        const x2 = row[base + half + i] as number;
        row[base + i] = x1 * c - x2 * s;
        row[base + half + i] = x2 * c + x1 * s;
      }
    }
  });
}

function causalAttention(q: Rows, k: Rows, v: Rows, spec: DemoSpec): Rows {
  const d = spec.headDim;
  const groups = spec.numHeads / spec.numKvHeads;
  return q.map((qRow, i) => {
    const out = new Float64Array(spec.numHeads * d);
    for (let h = 0; h < spec.numHeads; h += 1) {
      const kvBase = Math.floor(h / groups) * d;
      const scores: number[] = [];
      for (let j = 0; j <= i; j += 1) {
        let dot = 0;
        for (let t = 0; t < d; t += 1)
          dot += (qRow[h * d + t] as number) * ((k[j] as Float64Array)[kvBase + t] as number);
        scores.push(dot / Math.sqrt(d));
      }
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const total = exps.reduce((a, b) => a + b, 0);
      exps.forEach((e, j) => {
        for (let t = 0; t < d; t += 1) {
          out[h * d + t] =
            (out[h * d + t] as number) + (e / total) * ((v[j] as Float64Array)[kvBase + t] as number);
        }
      });
    }
    return out;
  });
}

/** Logits [seq, vocab] (flattened) for `ids` at positions 0..n-1. */
export function referenceLogits(spec: DemoSpec, weights: DemoWeights, ids: readonly number[]): Float64Array {
  const h = spec.hiddenSize;
  let x: Rows = ids.map((id) => Float64Array.from(weights.embedTokens.data.subarray(id * h, (id + 1) * h)));
  for (const w of weights.layers) {
    const normed = rmsNorm(x, w.inputNorm, spec.rmsNormEps);
    const q = matmul(normed, w.qProj);
    const k = matmul(normed, w.kProj);
    rotary(q, spec.numHeads, spec);
    rotary(k, spec.numKvHeads, spec);
    x = add(x, matmul(causalAttention(q, k, matmul(normed, w.vProj), spec), w.oProj));
    const m = rmsNorm(x, w.postAttentionNorm, spec.rmsNormEps);
    const gate = matmul(m, w.gateProj);
    const up = matmul(m, w.upProj);
    const act = gate.map((row, r) =>
      row.map((g, i) => (g / (1 + Math.exp(-g))) * ((up[r] as Float64Array)[i] as number)),
    );
    x = add(x, matmul(act, w.downProj));
  }
  const logits = matmul(rmsNorm(x, weights.finalNorm, spec.rmsNormEps), weights.lmHead);
  const flat = new Float64Array(ids.length * spec.vocabSize);
  logits.forEach((row, r) => {
    flat.set(row, r * spec.vocabSize);
  });
  return flat;
}
