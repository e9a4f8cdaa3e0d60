import type { PreTrainedModel, Tensor } from '@huggingface/transformers';

/** transformers.js's greedy answer to prepared inputs: the prompt's ids and the new ids (EOS kept). */
export async function theirGreedy(
  model: PreTrainedModel,
  inputs: Record<string, unknown>,
  maxNewTokens: number,
): Promise<{ promptIds: number[]; tokens: number[] }> {
  const promptIds = Array.from((inputs.input_ids as Tensor).data as BigInt64Array, Number);
  const output = (await model.generate({
    ...inputs,
    max_new_tokens: maxNewTokens,
    do_sample: false,
  })) as Tensor;
  return { promptIds, tokens: Array.from(output.data as BigInt64Array, Number).slice(promptIds.length) };
}
