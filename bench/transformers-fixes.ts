/**
 * Corrections to @huggingface/transformers that a fair comparison needs, each with the evidence.
 *
 * transformers.js 4.3.1 computes a text-only Qwen-VL-family prompt's rope delta as max + 1 + length,
 * where transformers (Python) has max + 1 - length: its decode steps get positions 2L too high, so
 * it would decode other tokens than the model's own reference. test/inference/hybrid/
 * transformers-qwen35.test.ts checks that the bug is still there and that, corrected, its greedy
 * tokens equal teambot's.
 */
import { type PreTrainedModel, Tensor } from '@huggingface/transformers';

type RopeIndex = (ids: Tensor, mask: Tensor) => [Tensor, Tensor];

/** Model types whose text-only positions go through _get_text_only_rope_index. */
const MROPE_TYPES = new Set(['qwen2_vl', 'qwen2_5_vl', 'qwen3_vl', 'qwen3_5', 'qwen3_5_moe']);

export function fixRopeDeltas(model: PreTrainedModel): void {
  const target = model as unknown as {
    _get_text_only_rope_index?: RopeIndex;
    config: { model_type?: string };
  };
  const original = target._get_text_only_rope_index?.bind(model);
  if (original === undefined || !MROPE_TYPES.has(target.config.model_type ?? '')) return;
  target._get_text_only_rope_index = (ids, mask) => {
    const [positions, deltas] = original(ids, mask);
    const length = BigInt(mask.dims[1] ?? 0);
    const fixed = Array.from(deltas.data as BigInt64Array, (d) => d - 2n * length);
    return [positions, new Tensor('int64', BigInt64Array.from(fixed), deltas.dims)];
  };
}
