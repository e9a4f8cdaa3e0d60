import { describe, expect, it } from 'vitest';
import {
  demoModelDirName,
  demoSpec,
  GENERATOR_VERSION,
  parameterCount,
} from '../../../src/inference/demo/index.js';
import { validateSpec } from '../../../src/inference/demo/spec.js';

describe('demo model specs', () => {
  it('bench has 75–120 M parameters (what the benchmarks ask for)', () => {
    const count = parameterCount(demoSpec('bench'));
    expect(count).toBeGreaterThanOrEqual(75_000_000);
    expect(count).toBeLessThanOrEqual(120_000_000);
  });

  it('tiny is small enough for unit tests', () => {
    expect(parameterCount(demoSpec('tiny'))).toBeLessThan(500_000);
  });

  it('both sizes use grouped-query attention and pass validation', () => {
    for (const size of ['tiny', 'bench'] as const) {
      const spec = demoSpec(size);
      expect(spec.numKvHeads).toBeLessThan(spec.numHeads);
      expect(() => validateSpec(spec)).not.toThrow();
    }
  });

  it('counts parameters layer by layer', () => {
    const spec = { ...demoSpec('tiny'), vocabSize: 300, hiddenSize: 8, intermediateSize: 16, numLayers: 1 };
    spec.layerTypes = ['full_attention'];
    spec.numHeads = 2;
    spec.numKvHeads = 1;
    spec.headDim = 4;
    // embed 2400 + norms 16 + q 64 + k 32 + v 32 + o 64 + mlp 384 + final norm 8 + lm_head 2400
    expect(parameterCount(spec)).toBe(2400 + 16 + 64 + 32 + 32 + 64 + 384 + 8 + 2400);
  });

  it("counts the hybrids' conv and linear-attention mixers, and their bench sizes reach 75M parameters", () => {
    const base = { ...demoSpec('tiny'), vocabSize: 300, hiddenSize: 8, intermediateSize: 16, numLayers: 1 };
    const conv = { ...base, layerTypes: ['conv' as const], convKernel: 3 };
    // in_proj 8x24 + conv 8x3 + out_proj 8x8, beside the embeddings, norms and MLP
    expect(parameterCount(conv)).toBe(2400 + 16 + 192 + 24 + 64 + 384 + 8 + 2400);
    const linear = {
      ...base,
      layerTypes: ['linear_attention' as const],
      convKernel: 4,
      linearHeads: 1,
      linearHeadDim: 4,
    };
    // qkv 8x12 + z 8x4 + b 8x1 + a 8x1 + conv 12x4 + A_log 1 + dt_bias 1 + norm 4 + out_proj 4x8
    expect(parameterCount(linear)).toBe(2400 + 16 + 96 + 32 + 8 + 8 + 48 + 1 + 1 + 4 + 32 + 384 + 8 + 2400);
    for (const arch of ['lfm2', 'qwen3_5'] as const) {
      const bench = demoSpec('bench', arch);
      expect(parameterCount(bench)).toBeGreaterThanOrEqual(75e6);
      expect(new Set(bench.layerTypes).size).toBe(2);
      expect(() => validateSpec(bench)).not.toThrow();
    }
  });

  it('rejects shapes the graph cannot build', () => {
    expect(() => validateSpec({ ...demoSpec('tiny'), numKvHeads: 3 })).toThrow(/multiple of numKvHeads/);
    expect(() => validateSpec({ ...demoSpec('tiny'), hiddenSize: 48 })).toThrow(/q4BlockSize/);
  });

  it('names the cache directory after size, seed and generator version', () => {
    expect(demoModelDirName('tiny', 7)).toBe(`teambot-demo-tiny-s7-v${GENERATOR_VERSION}`);
    expect(demoModelDirName('bench')).toBe(`teambot-demo-bench-s0-v${GENERATOR_VERSION}`);
  });
});
