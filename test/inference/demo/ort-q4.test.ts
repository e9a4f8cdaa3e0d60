import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { dequantizeQ4, quantizeQ4 } from '../../../src/inference/demo/quantize-q4.js';
import { type DemoWeights, generateDemoWeights, type Matrix } from '../../../src/inference/demo/weights.js';
import { lastLogits, runStep } from './ort-loop.js';
import { referenceLogits } from './reference-llama.js';
import { argmax, maxAbsDiff, TINY, tinyModelDir, valueRange } from './support.js';

const PROMPTS = [
  [72, 101, 108, 108, 111],
  [84, 104, 101, 32, 98, 111, 116, 32, 114, 101, 112, 108, 105, 101, 115],
  [49, 44, 32, 50, 44, 32, 51],
  [228, 189, 160, 229, 165, 189],
  [32],
  [87, 101, 32, 119, 105, 108, 108, 32, 100, 101, 112, 108, 111, 121],
];

/** The weights MatMulNBits effectively multiplies by: every projection quantized and restored. */
function q4Weights(weights: DemoWeights): DemoWeights {
  const round = (m: Matrix) => dequantizeQ4(quantizeQ4(m, TINY.q4BlockSize));
  return {
    ...weights,
    lmHead: round(weights.lmHead),
    layers: weights.layers.map((l) => ({
      ...l,
      qProj: round(l.qProj),
      kProj: round(l.kProj),
      vProj: round(l.vProj),
      oProj: round(l.oProj),
      gateProj: round(l.gateProj),
      upProj: round(l.upProj),
      downProj: round(l.downProj),
    })),
  };
}

const alone = (ids: number[]) => ({
  inputIds: [ids],
  attentionMask: [ids.map(() => 1)],
  positionIds: [ids.map((_, i) => i)],
});

describe('tiny demo model, 4-bit MatMulNBits variant', () => {
  let fp32: ort.InferenceSession;
  let q4: ort.InferenceSession;
  beforeAll(async () => {
    const dir = await tinyModelDir();
    fp32 = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
    q4 = await ort.InferenceSession.create(join(dir, 'onnx', 'model_q4.onnx'));
  });

  it('computes exactly the dequantized weights (B/scales/zero-point layout)', async () => {
    const prompt = PROMPTS[1] ?? [];
    const out = await runStep(q4, TINY, alone(prompt));
    const expected = referenceLogits(TINY, q4Weights(generateDemoWeights(TINY, 0)), prompt);
    expect(maxAbsDiff(out.logits, expected)).toBeLessThan(1e-3);
  });

  it('stays close to the fp32 logits', async () => {
    let agree = 0;
    for (const prompt of PROMPTS) {
      const a = lastLogits(await runStep(fp32, TINY, alone(prompt)));
      const b = lastLogits(await runStep(q4, TINY, alone(prompt)));
      expect(maxAbsDiff(a, b)).toBeLessThan(0.25 * valueRange(a));
      if (argmax(a) === argmax(b)) agree += 1;
    }
    expect(agree).toBeGreaterThanOrEqual(PROMPTS.length - 2);
  });

  it('stores the weights in well under half the bytes', async () => {
    const dir = await tinyModelDir();
    const size = async (f: string) => (await stat(join(dir, 'onnx', f))).size;
    expect(await size('model_q4.onnx_data')).toBeLessThan((await size('model.onnx_data')) / 2);
  });
});
