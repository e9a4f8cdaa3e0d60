/**
 * Child process: @huggingface/transformers (transformers.js) on the same files, as an app would
 * serve pictures with it: its processor, then one generate() per request, all awaited concurrently.
 */
import { readFile } from 'node:fs/promises';
import {
  AutoModelForImageTextToText,
  AutoProcessor,
  env,
  RawImage,
  type Tensor,
  TextStreamer,
} from '@huggingface/transformers';
import { peerEosIds, peerModelOptions, useLocalModel } from '../peer-load.js';
import { type BurstRequest, type BurstSample, type Finished, progress, readJob, serve } from '../protocol.js';
import { fixRopeDeltas } from '../transformers-fixes.js';
import type { VisionJob } from './protocol.js';

const job = readJob<VisionJob>();
const name = useLocalModel(job.modelDir);
const bytes = await readFile(job.imagePath);

const loadStarted = performance.now();
const processor = await AutoProcessor.from_pretrained(name);
const model = await AutoModelForImageTextToText.from_pretrained(name, peerModelOptions(job));
fixRopeDeltas(model);
const loadMs = performance.now() - loadStarted;
progress(`peer: loaded in ${loadMs.toFixed(0)} ms`);
const eosIds = peerEosIds(model);

async function burst(request: BurstRequest): Promise<BurstSample> {
  const started = performance.now();
  const one = async (question: string) => {
    const text = processor.apply_chat_template(
      [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: question }] }] as never,
      { add_generation_prompt: true },
    ) as string;
    const inputs = await processor(text, [await RawImage.fromBlob(new Blob([bytes]))]);
    const promptLength = (inputs.input_ids as Tensor).dims.at(-1) ?? 0;
    let first: number | undefined;
    const streamer = new TextStreamer(processor.tokenizer as never, {
      skip_prompt: true,
      callback_function: () => {},
      token_callback_function: () => {
        first ??= performance.now() - started;
      },
    });
    const output = (await model.generate({
      ...inputs,
      max_new_tokens: job.tokens,
      do_sample: false,
      streamer,
    })) as Tensor;
    const endMs = performance.now() - started;
    const ids = Array.from(output.data as BigInt64Array, Number).slice(promptLength);
    // generate() keeps the EOS that ended the answer; teambot's ids never include it.
    if (ids.length > 0 && eosIds.has(ids.at(-1) as number)) ids.pop();
    return { ttftMs: first ?? endMs, endMs, newTokens: ids.length, outputIds: ids };
  };
  const requests = await Promise.all(request.prompts.map((turns) => one(turns.at(-1)?.content ?? '')));
  return { requests, wallMs: performance.now() - started };
}

await serve(async (request) => {
  if (request.kind === 'burst') return await burst(request);
  if (request.kind !== 'finish') throw new Error(`peer side: no ${request.kind}`);
  await model.dispose();
  return {
    engine: `@huggingface/transformers ${env.version}`,
    onnxruntime: 'same',
    loadMs,
    peakRssKb: process.resourceUsage().maxRSS,
    errors: [],
  } satisfies Finished;
});
