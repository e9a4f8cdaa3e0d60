import { basename, dirname, join } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { greedyCached } from './ort-loop.js';
import { modelIds, TINY, tinyModelDir } from './support.js';

const MESSAGES = [
  { role: 'system', content: 'You are a helpful team bot.' },
  { role: 'user', content: 'Summarize the build log, please.' },
];

describe('tiny demo model in @huggingface/transformers', () => {
  let dir: string;
  let tokenizer: PreTrainedTokenizer;
  beforeAll(async () => {
    dir = await tinyModelDir();
    env.allowRemoteModels = false;
    env.localModelPath = `${dirname(dir)}/`;
    tokenizer = await AutoTokenizer.from_pretrained(basename(dir));
  });

  it('applies the ChatML chat template', () => {
    const text = tokenizer.apply_chat_template(MESSAGES, { tokenize: false, add_generation_prompt: true });
    expect(text).toBe(
      '<|im_start|>system\nYou are a helpful team bot.<|im_end|>\n' +
        '<|im_start|>user\nSummarize the build log, please.<|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
    const without = tokenizer.apply_chat_template(MESSAGES, {
      tokenize: false,
      add_generation_prompt: false,
    });
    expect(without).toBe(String(text).slice(0, -'<|im_start|>assistant\n'.length));
  });

  it.each([
    ['fp32', 'model.onnx'],
    ['q4', 'model_q4.onnx'],
  ] as const)('generates (%s) the same greedy tokens as a plain onnxruntime loop', async (dtype, file) => {
    const text = String(
      tokenizer.apply_chat_template(MESSAGES, { tokenize: false, add_generation_prompt: true }),
    );
    const inputs = tokenizer(text);
    const promptIds = Array.from((inputs.input_ids as Tensor).data as BigInt64Array, Number);
    const model: PreTrainedModel = await AutoModelForCausalLM.from_pretrained(basename(dir), {
      dtype,
      device: 'cpu',
    });
    try {
      const output = (await model.generate({ ...inputs, max_new_tokens: 8, do_sample: false })) as Tensor;
      const generated = Array.from(output.data as BigInt64Array, Number).slice(promptIds.length);

      const session = await ort.InferenceSession.create(join(dir, 'onnx', file));
      const ids = await modelIds(dir);
      const ours = await greedyCached(session, TINY, promptIds, 8, ids.eos);
      expect(generated).toEqual(ours);
      expect(generated.length).toBeGreaterThan(0);
    } finally {
      await model.dispose();
    }
  });
});
