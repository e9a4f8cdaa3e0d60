/**
 * config.json of the generated hybrids, as transformers (and transformers.js) read them: LFM2's
 * flat config, and Qwen3.5's multimodal one with the text model under `text_config`.
 */
import { textModelFields, transformersJsConfig } from './config-files.js';
import type { DemoSpec } from './spec.js';
import type { SpecialTokenIds } from './tokenizer-files.js';
import { visionShape } from './vision-graph.js';

/** The vision tokens, in id order after ChatML's (vision start is `<|im_end|>` + 1). */
export const VISION_TOKENS = ['<|vision_start|>', '<|vision_end|>', '<|image_pad|>', '<|video_pad|>'];

/**
 * ChatML whose message content may be a list of parts, as Qwen-VL templates render them: an image
 * part is `<|vision_start|><|image_pad|><|vision_end|>`, a video part the same with `<|video_pad|>`.
 */
const VL_MESSAGES =
  "{%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' }}" +
  "{%- if message['content'] is string %}{{ message['content'] }}{%- else %}{%- for part in message['content'] %}" +
  "{%- if part['type'] == 'image' %}{{ '<|vision_start|><|image_pad|><|vision_end|>' }}" +
  "{%- elif part['type'] == 'video' %}{{ '<|vision_start|><|video_pad|><|vision_end|>' }}" +
  "{%- elif part['type'] == 'text' %}{{ part['text'] }}{%- endif %}{%- endfor %}{%- endif %}" +
  "{{ '<|im_end|>' + '\\n' }}{%- endfor %}";

/** Qwen2.5-VL's chat template: ChatML with pictures. */
export const QWEN25VL_TEMPLATE = `${VL_MESSAGES}{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}`;

/** Qwen3.5's chat template (ChatML with pictures) with thinking: off unless `enable_thinking` is true. */
export const QWEN35_TEMPLATE =
  VL_MESSAGES +
  "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}" +
  "{%- if enable_thinking is defined and enable_thinking %}{{ '<think>\\n' }}{%- else %}{{ '<think>\\n\\n</think>\\n\\n' }}{%- endif %}" +
  '{%- endif %}';

/** The ids of VISION_TOKENS, as config.json names them. */
function visionTokenIds(special: SpecialTokenIds): Record<string, number> {
  return {
    image_token_id: special.imEnd + 3,
    video_token_id: special.imEnd + 4,
    vision_start_token_id: special.imEnd + 1,
    vision_end_token_id: special.imEnd + 2,
  };
}

/** Rotary frequencies (head_dim / 2 of them) per position row: temporal, height, width. */
export function mropeSection(spec: DemoSpec): [number, number, number] {
  return [spec.headDim / 8, spec.headDim / 8, spec.headDim / 4];
}

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
  const qwen25 = spec.arch === 'qwen2_5_vl';
  const shape = visionShape(spec);
  // Which frequencies each of the three position rows turns (interleaved in Qwen3.5, in blocks in Qwen2.5-VL).
  const mrope = { mrope_section: mropeSection(spec), ...(qwen25 ? {} : { mrope_interleaved: true }) };
  const linearAttention = qwen25
    ? {}
    : {
        linear_conv_kernel_dim: spec.convKernel,
        linear_num_key_heads: spec.linearHeads,
        linear_num_value_heads: spec.linearHeads,
        linear_key_head_dim: spec.linearHeadDim,
        linear_value_head_dim: spec.linearHeadDim,
      };
  return {
    architectures: [qwen25 ? 'Qwen2_5_VLForConditionalGeneration' : 'Qwen3_5ForConditionalGeneration'],
    model_type: spec.arch,
    ...visionTokenIds(special),
    tie_word_embeddings: false,
    text_config: {
      model_type: `${spec.arch}_text`,
      ...textModelFields(spec, special),
      ...linearAttention,
      rope_scaling: { ...mrope, type: qwen25 ? 'mrope' : 'default' },
    },
    vision_config: {
      model_type: spec.arch,
      spatial_merge_size: shape.mergeSize,
      patch_size: shape.patchSize,
      out_hidden_size: spec.hiddenSize,
    },
    'transformers.js_config': transformersJs,
  };
}
