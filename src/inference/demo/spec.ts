/** Hyperparameters of the generated demo models and their parameter count. */

export type DemoSize = 'tiny' | 'bench';

/**
 * The generated architectures: a plain Llama, two hybrids with fixed-size per-layer states, and
 * Qwen2.5-VL (a vision-language Qwen2: attention only; Qwen3.5 sees too).
 */
export type DemoArch = 'llama' | 'lfm2' | 'qwen3_5' | 'qwen2_5_vl';

export const DEMO_ARCHS: readonly DemoArch[] = ['llama', 'lfm2', 'qwen3_5', 'qwen2_5_vl'];

/** What a layer mixes tokens with, as config.json's `layer_types` names it. */
export type DemoLayerType = 'full_attention' | 'conv' | 'linear_attention';

export interface DemoSpec {
  size: DemoSize;
  arch: DemoArch;
  /** One entry per layer; all 'full_attention' for a Llama. */
  layerTypes: DemoLayerType[];
  /** Kernel of the causal depthwise convolutions (its past is the conv state, `convKernel` wide). */
  convKernel: number;
  /** Linear-attention heads and their key/value width (the recurrent state is [heads, dim, dim]). */
  linearHeads: number;
  linearHeadDim: number;
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
export const GENERATOR_VERSION = 6;

export const DEFAULT_DEMO_SEED = 0;

type SizeSpec = Omit<DemoSpec, 'arch' | 'layerTypes' | 'convKernel' | 'linearHeads' | 'linearHeadDim'>;

const SPECS: Record<DemoSize, SizeSpec> = {
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

/**
 * Layer patterns of the hybrids: LFM2 puts a short convolution in most layers and attention in a
 * few; Qwen3.5 has three linear-attention layers for each full-attention one.
 */
function layerTypes(arch: DemoArch, layers: number): DemoLayerType[] {
  return Array.from({ length: layers }, (_, i): DemoLayerType => {
    if (arch === 'lfm2') return i % 2 === 1 ? 'full_attention' : 'conv';
    if (arch === 'qwen3_5') return i % 4 === 3 || i === layers - 1 ? 'full_attention' : 'linear_attention';
    return 'full_attention';
  });
}

export function demoSpec(size: DemoSize, arch: DemoArch = 'llama'): DemoSpec {
  const base = SPECS[size];
  if (!base) throw new Error(`unknown demo model size: ${String(size)}`);
  if (!DEMO_ARCHS.includes(arch)) throw new Error(`unknown demo architecture: ${String(arch)}`);
  // The hybrids' bench sizes are wider, so that their 75M+ parameters are spent like a real model's.
  const spec: SizeSpec =
    arch !== 'llama' && size === 'bench'
      ? { ...base, hiddenSize: 640, intermediateSize: 2816, numLayers: 12 }
      : base;
  return {
    ...spec,
    arch,
    layerTypes: layerTypes(arch, spec.numLayers),
    convKernel: arch === 'lfm2' ? 3 : 4,
    linearHeads: spec.numHeads / 2,
    linearHeadDim: spec.headDim,
  };
}

export function isDemoArch(value: string): value is DemoArch {
  return (DEMO_ARCHS as readonly string[]).includes(value);
}

export function isDemoSize(value: string): value is DemoSize {
  return Object.hasOwn(SPECS, value);
}

/** Parameters of one layer's token mixer: attention, short convolution or linear attention. */
function mixerParameters(spec: DemoSpec, type: DemoLayerType): number {
  const h = spec.hiddenSize;
  if (type === 'conv') return h * 3 * h + h * spec.convKernel + h * h;
  if (type === 'linear_attention') {
    const heads = spec.linearHeads;
    const d = heads * spec.linearHeadDim;
    // q/k/v, z, b and a projections; conv; A_log and dt_bias; the gated norm; out_proj.
    return (
      h * 3 * d + h * d + 2 * h * heads + 3 * d * spec.convKernel + 2 * heads + spec.linearHeadDim + d * h
    );
  }
  const qDim = spec.numHeads * spec.headDim;
  const kvDim = spec.numKvHeads * spec.headDim;
  return h * qDim + 2 * h * kvDim + qDim * h;
}

/** All parameters: embeddings, layers (two norms, mixer, SwiGLU MLP), final norm and the untied lm_head. */
export function parameterCount(spec: DemoSpec): number {
  const h = spec.hiddenSize;
  const embeddings = spec.vocabSize * h;
  const layers = spec.layerTypes.reduce(
    (sum, type) => sum + 2 * h + mixerParameters(spec, type) + 3 * h * spec.intermediateSize,
    0,
  );
  return embeddings + layers + h + embeddings;
}

/** Checks the shape constraints the graph relies on. */
export function validateSpec(spec: DemoSpec): void {
  const problems: string[] = [];
  if (spec.numHeads % spec.numKvHeads !== 0) problems.push('numHeads must be a multiple of numKvHeads');
  if (spec.headDim % 2 !== 0) problems.push('headDim must be even (rotary halves)');
  for (const k of [spec.hiddenSize, spec.numHeads * spec.headDim, spec.intermediateSize]) {
    if (k % spec.q4BlockSize !== 0) problems.push(`K=${k} is not a multiple of q4BlockSize`);
  }
  if (spec.layerTypes.length !== spec.numLayers) problems.push('layerTypes must name every layer');
  if (!spec.layerTypes.includes('full_attention')) problems.push('at least one layer must be attention');
  if ((3 * spec.linearHeads * spec.linearHeadDim) % spec.q4BlockSize !== 0) {
    problems.push('the linear-attention width must be a multiple of q4BlockSize');
  }
  if (spec.vocabSize < 256 + 3) problems.push('vocabSize must hold 256 bytes and 3 special tokens');
  if (problems.length > 0) throw new Error(`invalid demo spec (${spec.size}): ${problems.join('; ')}`);
}
