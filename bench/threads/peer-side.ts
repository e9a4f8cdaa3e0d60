/**
 * Child process of bench:threads: transformers.js, as an app would answer a thread with it: one
 * generate() per turn on the whole conversation (chat template, greedy).
 */
import { basename, dirname } from 'node:path';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type Tensor,
  TextStreamer,
} from '@huggingface/transformers';
import { env as ortEnv } from 'onnxruntime-node';
import { type CommonJob, type Finished, progress, readJob, serve } from '../protocol.js';
import { fixRopeDeltas } from '../transformers-fixes.js';
import type { TurnSample } from './protocol.js';

const job = readJob<CommonJob>();
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = dirname(job.modelDir);
const modelName = basename(job.modelDir);

const loadStarted = performance.now();
const tokenizer = await AutoTokenizer.from_pretrained(modelName);
const model = await AutoModelForCausalLM.from_pretrained(modelName, {
  dtype: job.dtype,
  device: 'cpu',
  session_options: job.threads > 0 ? { intraOpNumThreads: job.threads } : {},
});
fixRopeDeltas(model);
const loadMs = performance.now() - loadStarted;
progress(`peer: loaded in ${loadMs.toFixed(0)} ms`);
const eosSetting = (model.generation_config as { eos_token_id?: number | number[] } | null)?.eos_token_id;
const eosIds = new Set<number>(eosSetting === undefined ? [] : [eosSetting].flat());

await serve(async (request) => {
  if (request.kind === 'turn') {
    const encoded = tokenizer.apply_chat_template(request.messages, {
      add_generation_prompt: true,
      return_dict: true,
    });
    const inputIds = encoded.input_ids as Tensor;
    const promptTokens = inputIds.dims.at(-1) ?? 0;
    let first: number | undefined;
    const streamer = new TextStreamer(tokenizer, {
      skip_prompt: true,
      callback_function: () => {},
      token_callback_function: () => {
        first ??= performance.now();
      },
    });
    const started = performance.now();
    const output = (await model.generate({
      input_ids: inputIds,
      attention_mask: encoded.attention_mask as Tensor,
      max_new_tokens: job.tokens,
      do_sample: false,
      streamer,
    })) as Tensor;
    const ended = performance.now();
    const outputIds = ((output.tolist() as bigint[][])[0]?.map(Number) ?? []).slice(promptTokens);
    // generate() keeps the EOS that ended the answer; teambot's ids never include it.
    if (outputIds.length > 0 && eosIds.has(outputIds.at(-1) as number)) outputIds.pop();
    return {
      ttftMs: (first ?? ended) - started,
      promptTokens,
      outputIds,
      text: tokenizer.decode(outputIds, { skip_special_tokens: true }),
    } satisfies TurnSample;
  }
  if (request.kind !== 'finish') throw new Error('the peer answers turn and finish only');
  await model.dispose();
  return {
    engine: `@huggingface/transformers ${env.version}`,
    onnxruntime: ortEnv.versions.node ?? 'unknown',
    loadMs,
    peakRssKb: process.resourceUsage().maxRSS,
    errors: [],
  } satisfies Finished;
});
