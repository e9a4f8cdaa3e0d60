/**
 * Child process of bench:threads: teambot's engine (in its own worker thread unless --no-thread),
 * with or without the prefix cache; answers one conversation turn at a time.
 */
import { readFileSync } from 'node:fs';
import { env as ortEnv } from 'onnxruntime-node';
import { DEFAULT_PREFILL_CHUNK, openOnnxEngine } from '../../src/inference/onnx/open-engine.js';
import { type Finished, progress, readJob, serve } from '../protocol.js';
import { openThreadEngine } from '../thread-engine.js';
import type { ThreadsTeambotJob, TurnSample } from './protocol.js';

const job = readJob<ThreadsTeambotJob>();
const side = job.prefixCacheBytes > 0 ? 'teambot (cache)' : 'teambot (no cache)';
const loadStarted = performance.now();
const settings = { ...job, groups: [], maxBatchSize: 8 };
const engine = job.thread
  ? await openThreadEngine(settings)
  : await openOnnxEngine(job.modelDir, {
      name: 'teambot-demo-bench',
      device: 'cpu',
      dtype: job.dtype,
      threads: job.threads,
      contextLength: job.contextLength,
      defaults: { maxNewTokens: job.tokens, temperature: 0, prefillChunk: DEFAULT_PREFILL_CHUNK },
      batch: { maxBatchSize: 8, maxWaiting: 1_000, perUserMax: 1 },
      prefixCacheBytes: job.prefixCacheBytes,
    });
const loadMs = performance.now() - loadStarted;
progress(`${side}: loaded in ${loadMs.toFixed(0)} ms`);

await serve(async (request) => {
  if (request.kind === 'turn') {
    const before = (await engine.batchStats()).prefixCache;
    const started = performance.now();
    const generation = engine.generate({ messages: request.messages, maxTokens: job.tokens, temperature: 0 });
    const returned = performance.now() - started;
    for await (const _chunk of generation) {
    }
    const result = await generation.result;
    const after = (await engine.batchStats()).prefixCache;
    const t = result.timings;
    if (t === undefined) throw new Error('The engine returned no timings.');
    return {
      ttftMs: returned + (t.queuedMs ?? 0) + t.firstTokenMs,
      promptTokens: result.usage.promptTokens,
      outputIds: result.tokenIds ?? [],
      text: result.text,
      reusedTokens: (after?.reusedTokens ?? 0) - (before?.reusedTokens ?? 0),
      prefilledTokens:
        after === undefined ? t.promptTokens : after.prefilledTokens - (before?.prefilledTokens ?? 0),
    } satisfies TurnSample;
  }
  if (request.kind !== 'finish') throw new Error(`${side} answers turn and finish only`);
  await engine.close();
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return {
    engine: `teambot ${pkg.version}${job.thread ? ' (engine thread)' : ''}`,
    onnxruntime: ortEnv.versions.node ?? 'unknown',
    loadMs,
    peakRssKb: process.resourceUsage().maxRSS,
    errors: [],
  } satisfies Finished;
});
