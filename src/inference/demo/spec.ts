/** Hyperparameters of the generated demo models and their parameter count. */

export type DemoSize = 'tiny' | 'bench';

export interface DemoSpec {
  size: DemoSize;
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  /** Fewer than numHeads: grouped-query attention. */
  numKvHeads: number;
  headDim: number;
  maxPositions: number;
  rmsNormEps: number;
  ropeTheta: number;
  /** Upper bound on learned BPE merges (the built-in corpus may give fewer). */
  maxMerges: number;
  /** Block size of the 4-bit MatMulNBits variant. */
  q4BlockSize: number;
}

/** Bump when the generated files change, so caches keyed on it regenerate. */
export const GENERATOR_VERSION = 3;

export const DEFAULT_DEMO_SEED = 0;

const SPECS: Record<DemoSize, DemoSpec> = {
  tiny: {
    size: 'tiny',
    vocabSize: 512,
    hiddenSize: 64,
    intermediateSize: 128,
    numLayers: 2,
    numHeads: 4,
    numKvHeads: 2,
    headDim: 16,
    maxPositions: 512,
    rmsNormEps: 1e-6,
    ropeTheta: 10000,
    maxMerges: 200,
    q4BlockSize: 32,
  },
  bench: {
    size: 'bench',
    vocabSize: 4096,
    hiddenSize: 768,
    intermediateSize: 2048,
    numLayers: 12,
    numHeads: 12,
    numKvHeads: 4,
    headDim: 64,
    maxPositions: 4096,
    rmsNormEps: 1e-6,
    ropeTheta: 10000,
    maxMerges: 2000,
    q4BlockSize: 32,
  },
};

export function demoSpec(size: DemoSize): DemoSpec {
  const spec = SPECS[size];
  if (!spec) throw new Error(`unknown demo model size: ${String(size)}`);
  return { ...spec };
}

export function isDemoSize(value: string): value is DemoSize {
  return Object.hasOwn(SPECS, value);
}

/** Parameters of one decoder layer: two norms, Q/K/V/O projections and the SwiGLU MLP. */
function layerParameters(spec: DemoSpec): number {
  const h = spec.hiddenSize;
  const qDim = spec.numHeads * spec.headDim;
  const kvDim = spec.numKvHeads * spec.headDim;
  return 2 * h + h * qDim + 2 * h * kvDim + qDim * h + 3 * h * spec.intermediateSize;
}

/** All parameters: embeddings, layers, final norm and the untied lm_head. */
export function parameterCount(spec: DemoSpec): number {
  const embeddings = spec.vocabSize * spec.hiddenSize;
  return embeddings + spec.numLayers * layerParameters(spec) + spec.hiddenSize + embeddings;
}

/** Checks the shape constraints the graph relies on. */
export function validateSpec(spec: DemoSpec): void {
  const problems: string[] = [];
  if (spec.numHeads % spec.numKvHeads !== 0) problems.push('numHeads must be a multiple of numKvHeads');
  if (spec.headDim % 2 !== 0) problems.push('headDim must be even (rotary halves)');
  for (const k of [spec.hiddenSize, spec.numHeads * spec.headDim, spec.intermediateSize]) {
    if (k % spec.q4BlockSize !== 0) problems.push(`K=${k} is not a multiple of q4BlockSize`);
  }
  if (spec.vocabSize < 256 + 3) problems.push('vocabSize must hold 256 bytes and 3 special tokens');
  if (problems.length > 0) throw new Error(`invalid demo spec (${spec.size}): ${problems.join('; ')}`);
}
