/**
 * The random weights of a demo model. Matrices are stored [in, out] row-major, the layout ONNX
 * MatMul takes (the transpose of PyTorch's Linear.weight). Each tensor has its own random stream
 * keyed by (seed, name), so the values do not depend on generation order.
 */
import { normalTensor } from './random.js';
import type { DemoSpec } from './spec.js';

export interface Matrix {
  /** Row-major [rows, cols] values. */
  data: Float32Array;
  rows: number;
  cols: number;
}

export interface LayerWeights {
  inputNorm: Float32Array;
  qProj: Matrix;
  kProj: Matrix;
  vProj: Matrix;
  oProj: Matrix;
  postAttentionNorm: Float32Array;
  gateProj: Matrix;
  upProj: Matrix;
  downProj: Matrix;
}

export interface DemoWeights {
  /** [vocab, hidden]: row t is the embedding of token t. */
  embedTokens: Matrix;
  layers: LayerWeights[];
  finalNorm: Float32Array;
  /** [hidden, vocab]. */
  lmHead: Matrix;
}

/** Target standard deviation of the logits, so greedy decoding has clear winners ("peaky"). */
const LOGIT_STD = 4;

function matrix(seed: number, name: string, rows: number, cols: number, std: number): Matrix {
  return { data: normalTensor(seed, name, rows * cols, std), rows, cols };
}

/** A projection whose outputs have about unit scale for unit-scale inputs. */
function projection(seed: number, name: string, rows: number, cols: number): Matrix {
  return matrix(seed, name, rows, cols, 1 / Math.sqrt(rows));
}

function ones(n: number): Float32Array {
  return new Float32Array(n).fill(1);
}

export function generateDemoWeights(spec: DemoSpec, seed: number): DemoWeights {
  const h = spec.hiddenSize;
  const qDim = spec.numHeads * spec.headDim;
  const kvDim = spec.numKvHeads * spec.headDim;
  const layers: LayerWeights[] = [];
  for (let i = 0; i < spec.numLayers; i += 1) {
    const p = `model.layers.${i}`;
    layers.push({
      inputNorm: ones(h),
      qProj: projection(seed, `${p}.self_attn.q_proj.weight`, h, qDim),
      kProj: projection(seed, `${p}.self_attn.k_proj.weight`, h, kvDim),
      vProj: projection(seed, `${p}.self_attn.v_proj.weight`, h, kvDim),
      oProj: projection(seed, `${p}.self_attn.o_proj.weight`, qDim, h),
      postAttentionNorm: ones(h),
      gateProj: projection(seed, `${p}.mlp.gate_proj.weight`, h, spec.intermediateSize),
      upProj: projection(seed, `${p}.mlp.up_proj.weight`, h, spec.intermediateSize),
      downProj: projection(seed, `${p}.mlp.down_proj.weight`, spec.intermediateSize, h),
    });
  }
  return {
    embedTokens: matrix(seed, 'model.embed_tokens.weight', spec.vocabSize, h, 1),
    layers,
    finalNorm: ones(h),
    lmHead: matrix(seed, 'lm_head.weight', h, spec.vocabSize, LOGIT_STD / Math.sqrt(h)),
  };
}
