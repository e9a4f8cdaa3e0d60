import { basename, dirname } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixRopeDeltas } from '../../../bench/transformers-fixes.js';
import { openOnnxEngine } from '../../../src/inference/onnx/open-engine.js';
import { collect, openBatched } from '../batching/support.js';
import { theirGreedy } from '../transformers-greedy.js';
import { generatedModelDir } from './models.js';

const PROMPTS = [
  [{ role: 'user', content: 'Summarize the build log, please.' }],
  [
    { role: 'system', content: 'You are a helpful team bot.' },
    { role: 'user', content: 'Who moved the meeting to Thursday?' },
  ],
];
const TOKENS = 12;

/** The positions transformers.js feeds its decoder, step by step (first row of the three). */
function recordPositions(model: PreTrainedModel): number[][] {
  const seen: number[][] = [];
  const session = (
    model as unknown as { sessions: Record<string, { run: (f: Record<string, Tensor>) => unknown }> }
  ).sessions.decoder_model_merged;
  if (session === undefined) throw new Error('no decoder_model_merged session');
  const run = session.run.bind(session);
  session.run = (feeds: Record<string, Tensor>, ...rest: unknown[]) => {
    const positions = feeds.position_ids as Tensor;
    seen.push(Array.from(positions.data as BigInt64Array, Number).slice(0, positions.dims.at(-1)));
    return (run as (...args: unknown[]) => unknown)(feeds, ...rest);
  };
  return seen;
}

describe('the generated Qwen3.5 in @huggingface/transformers (text only, same files)', () => {
  let dir: string;
  let tokenizer: PreTrainedTokenizer;
  beforeAll(async () => {
    dir = await generatedModelDir('qwen3_5');
    env.allowRemoteModels = false;
    env.localModelPath = `${dirname(dir)}/`;
    tokenizer = await AutoTokenizer.from_pretrained(basename(dir));
  });

  const promptOf = (messages: (typeof PROMPTS)[number]) =>
    String(tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }));

  it('renders its chat template with thinking off unless asked for', () => {
    const text = promptOf(PROMPTS[0] ?? []);
    expect(text.endsWith('<|im_start|>assistant\n<think>\n\n</think>\n\n')).toBe(true);
    const thinking = tokenizer.apply_chat_template(PROMPTS[0] ?? [], {
      tokenize: false,
      add_generation_prompt: true,
      enable_thinking: true,
    } as never);
    expect(String(thinking).endsWith('<|im_start|>assistant\n<think>\n')).toBe(true);
  });

  it('transformers.js 4.3.1 feeds the first decode step position 3L (the upstream bug fixRopeDeltas corrects)', async () => {
    const model = await AutoModelForCausalLM.from_pretrained(basename(dir), { dtype: 'fp32', device: 'cpu' });
    try {
      const seen = recordPositions(model);
      const inputs = tokenizer(promptOf(PROMPTS[0] ?? []));
      const length = (inputs.input_ids as Tensor).dims[1] ?? 0;
      await model.generate({ ...inputs, max_new_tokens: 2, do_sample: false });
      expect(seen[0]).toEqual(Array.from({ length }, (_, i) => i));
      // When this fails, transformers.js has fixed the delta: drop fixRopeDeltas.
      expect(seen[1]).toEqual([3 * length]);
    } finally {
      await model.dispose();
    }
  });

  it.each(['fp32', 'q4'] as const)(
    'gives teambot the greedy tokens transformers.js gives (%s)',
    async (dtype) => {
      const model = await AutoModelForCausalLM.from_pretrained(basename(dir), { dtype, device: 'cpu' });
      fixRopeDeltas(model);
      const seen = recordPositions(model);
      const engine = await openOnnxEngine(dir, {
        name: 'qwen3_5',
        device: 'cpu',
        dtype,
        threads: 1,
        contextLength: 512,
        defaults: { maxNewTokens: TOKENS, temperature: 0, prefillChunk: 512 },
      });
      try {
        for (const messages of PROMPTS) {
          const text = promptOf(messages);
          const inputs = tokenizer(text);
          const { promptIds, tokens: theirs } = await theirGreedy(model, inputs, TOKENS);
          const ours = (await collect(engine.complete({ prompt: text, maxTokens: TOKENS, temperature: 0 })))
            .result;
          expect(theirs.length).toBeGreaterThan(4);
          // transformers.js stops after the EOS it generated; teambot does not return the EOS.
          expect(ours.tokenIds).toEqual(theirs.slice(0, ours.tokenIds?.length ?? 0));
          expect(theirs.length - (ours.tokenIds?.length ?? 0)).toBeLessThanOrEqual(1);
          expect(seen.at(-1)).toEqual([promptIds.length + theirs.length - 2]);
        }
      } finally {
        await model.dispose();
        await engine.close();
      }
    },
  );
});

describe('thinking on the generated Qwen3.5 (its template has enable_thinking)', () => {
  it('renders the prompt with thinking off unless the request asks for it', async () => {
    const dir = await generatedModelDir('qwen3_5');
    const engine = await openBatched(dir);
    try {
      const decode = (ids: number[] | undefined) => engine.model.tokenizer.tokenizer.decode(ids ?? []);
      const messages = [{ role: 'user' as const, content: 'Who is on call?' }];
      const off = (await collect(engine.generate({ messages, maxTokens: 2, temperature: 0 }))).result;
      const on = (await collect(engine.generate({ messages, maxTokens: 2, temperature: 0, thinking: true })))
        .result;
      expect(decode(off.promptTokenIds).endsWith('assistant\n<think>\n\n</think>\n\n')).toBe(true);
      expect(decode(on.promptTokenIds).endsWith('assistant\n<think>\n')).toBe(true);
    } finally {
      await engine.close();
    }
  });
});
