/** Child process: teambot's engine (the continuous batcher) answering the picture and the question. */
import { readFile } from 'node:fs/promises';
import { openOnnxEngine } from '../../src/inference/onnx/open-engine.js';
import { type BurstRequest, type BurstSample, type Finished, progress, readJob, serve } from '../protocol.js';
import type { VisionJob } from './protocol.js';

const job = readJob<VisionJob>();
const image = new Uint8Array(await readFile(job.imagePath));
const loadStarted = performance.now();
const engine = await openOnnxEngine(job.modelDir, {
  name: 'bench-vision',
  device: 'cpu',
  dtype: job.dtype,
  threads: job.threads,
  contextLength: 4096,
  defaults: { maxNewTokens: job.tokens, temperature: 0, prefillChunk: 512 },
  batch: { maxBatchSize: job.maxBatchSize, perUserMax: 0, maxWaiting: 256 },
});
const loadMs = performance.now() - loadStarted;
progress(`teambot: loaded in ${loadMs.toFixed(0)} ms (vision: ${engine.info().vision === true})`);

let promptTokens = 0;

async function burst(request: BurstRequest): Promise<BurstSample & { promptTokens: number }> {
  const started = performance.now();
  const one = async (question: string, i: number) => {
    let first: number | undefined;
    const generation = engine.generate({
      messages: [{ role: 'user', content: question, images: [{ data: image, mimeType: 'image/png' }] }],
      maxTokens: job.tokens,
      temperature: 0,
      user: `user-${i}`,
    });
    for await (const _chunk of generation) first ??= performance.now() - started;
    const result = await generation.result;
    const endMs = performance.now() - started;
    promptTokens = result.usage.promptTokens;
    const ids = result.tokenIds ?? [];
    return { ttftMs: first ?? endMs, endMs, newTokens: ids.length, outputIds: ids };
  };
  const requests = await Promise.all(request.prompts.map((turns, i) => one(turns.at(-1)?.content ?? '', i)));
  return { requests, wallMs: performance.now() - started, promptTokens };
}

await serve(async (request) => {
  if (request.kind === 'burst') return await burst(request);
  if (request.kind !== 'finish') throw new Error(`teambot side: no ${request.kind}`);
  await engine.close();
  return {
    engine: 'teambot',
    onnxruntime: 'same',
    loadMs,
    peakRssKb: process.resourceUsage().maxRSS,
    errors: [],
  } satisfies Finished;
});
