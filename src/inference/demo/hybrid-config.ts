/**
 * config.json of the generated hybrids, as transformers (and transformers.js) read them: LFM2's
 * flat config, and Qwen3.5's multimodal one with the text model under `text_config`.
 */
import { textModelFields, transformersJsConfig } from './config-files.js';
import type { DemoSpec } from './spec.js';
import type { SpecialTokenIds } from './tokenizer-files.js';

/** Qwen3.5's chat template (ChatML) with thinking: off unless `enable_thinking` is true. */
export const QWEN35_TEMPLATE =
  "{%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}" +
  "{%- if enable_thinking is defined and enable_thinking %}{{ '<think>\\n' }}{%- else %}{{ '<think>\\n\\n</think>\\n\\n' }}{%- endif %}" +
  '{%- endif %}';

export function buildHybridConfig(
  spec: DemoSpec,
  special: SpecialTokenIds,
  externalData: readonly string[],
): Record<string, unknown> {
  const transformersJs = transformersJsConfig(externalData);
  if (spec.arch === 'lfm2') {
    return {
      architectures: ['Lfm2ForCausalLM'],
      model_type: 'lfm2',
      ...textModelFields(spec, special),
      conv_L_cache: spec.convKernel,
      conv_bias: false,
      torch_dtype: 'float32',
      'transformers.js_config': transformersJs,
    };
  }
  return {
    architectures: ['Qwen3_5ForConditionalGeneration'],
    model_type: 'qwen3_5',
    image_token_id: special.imEnd + 3,
    video_token_id: special.imEnd + 4,
    vision_start_token_id: special.imEnd + 1,
    vision_end_token_id: special.imEnd + 2,
    tie_word_embeddings: false,
    text_config: {
      model_type: 'qwen3_5_text',
      ...textModelFields(spec, special),
      linear_conv_kernel_dim: spec.convKernel,
      linear_num_key_heads: spec.linearHeads,
      linear_num_value_heads: spec.linearHeads,
      linear_key_head_dim: spec.linearHeadDim,
      linear_value_head_dim: spec.linearHeadDim,
      rope_scaling: {
        mrope_section: [spec.headDim / 8, spec.headDim / 8, spec.headDim / 4],
        type: 'default',
      },
    },
    vision_config: {
      model_type: 'qwen3_5',
      spatial_merge_size: 2,
      patch_size: 16,
      out_hidden_size: spec.hiddenSize,
    },
    'transformers.js_config': transformersJs,
  };
}
