/** config.json and generation_config.json for the demo models, as transformers (and .js) read them. */
import type { DemoSpec } from './spec.js';
import type { SpecialTokenIds } from './tokenizer-files.js';

/** The text model's fields every generated architecture's config.json shares. */
export function textModelFields(spec: DemoSpec, special: SpecialTokenIds): Record<string, unknown> {
  return {
    bos_token_id: special.endOfText,
    eos_token_id: special.imEnd,
    pad_token_id: special.endOfText,
    head_dim: spec.headDim,
    hidden_act: 'silu',
    hidden_size: spec.hiddenSize,
    intermediate_size: spec.intermediateSize,
    layer_types: spec.layerTypes,
    max_position_embeddings: spec.maxPositions,
    num_attention_heads: spec.numHeads,
    num_hidden_layers: spec.numLayers,
    num_key_value_heads: spec.numKvHeads,
    rms_norm_eps: spec.rmsNormEps,
    rope_theta: spec.ropeTheta,
    tie_word_embeddings: false,
    vocab_size: spec.vocabSize,
  };
}

/** transformers.js's hints: `externalData` are the .onnx files (e.g. 'model.onnx') with a `<file>_data`. */
export function transformersJsConfig(externalData: readonly string[]): Record<string, unknown> {
  return {
    dtype: 'fp32',
    use_external_data_format: Object.fromEntries(externalData.map((file) => [file, 1])),
  };
}

export function buildModelConfig(
  spec: DemoSpec,
  special: SpecialTokenIds,
  externalData: readonly string[],
): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    ...textModelFields(spec, special),
    attention_bias: false,
    attention_dropout: 0,
    initializer_range: 0.02,
    mlp_bias: false,
    pretraining_tp: 1,
    rope_scaling: null,
    torch_dtype: 'float32',
    use_cache: true,
    'transformers.js_config': transformersJsConfig(externalData),
  };
}

export function buildGenerationConfig(special: SpecialTokenIds): Record<string, unknown> {
  return {
    bos_token_id: special.endOfText,
    eos_token_id: [special.imEnd, special.endOfText],
    pad_token_id: special.endOfText,
    do_sample: false,
  };
}
