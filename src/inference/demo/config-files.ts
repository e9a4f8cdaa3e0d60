/** config.json and generation_config.json for a demo Llama, as transformers (and .js) read them. */
import type { DemoSpec } from './spec.js';
import type { SpecialTokenIds } from './tokenizer-files.js';

/** `externalData`: the .onnx files (e.g. 'model.onnx') that have a `<file>_data` companion. */
export function buildModelConfig(
  spec: DemoSpec,
  special: SpecialTokenIds,
  externalData: readonly string[],
): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    attention_bias: false,
    attention_dropout: 0,
    bos_token_id: special.endOfText,
    eos_token_id: special.imEnd,
    pad_token_id: special.endOfText,
    head_dim: spec.headDim,
    hidden_act: 'silu',
    hidden_size: spec.hiddenSize,
    initializer_range: 0.02,
    intermediate_size: spec.intermediateSize,
    max_position_embeddings: spec.maxPositions,
    mlp_bias: false,
    num_attention_heads: spec.numHeads,
    num_hidden_layers: spec.numLayers,
    num_key_value_heads: spec.numKvHeads,
    pretraining_tp: 1,
    rms_norm_eps: spec.rmsNormEps,
    rope_scaling: null,
    rope_theta: spec.ropeTheta,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    use_cache: true,
    vocab_size: spec.vocabSize,
    'transformers.js_config': {
      dtype: 'fp32',
      use_external_data_format: Object.fromEntries(externalData.map((file) => [file, 1])),
    },
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
