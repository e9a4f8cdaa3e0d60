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
    spec.numHeads = 2;
    spec.numKvHeads = 1;
    spec.headDim = 4;
    // embed 2400 + norms 16 + q 64 + k 32 + v 32 + o 64 + mlp 384 + final norm 8 + lm_head 2400
    expect(parameterCount(spec)).toBe(2400 + 16 + 64 + 32 + 32 + 64 + 384 + 8 + 2400);
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
