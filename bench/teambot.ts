/**
 * Child process: teambot's own engine. On `select` it picks, per length class, the first prompt whose
 * greedy answer runs the full token budget (no early EOS); then it times the runs the parent asks
 * for. Run by bench/inference.ts.
 */
import { readFileSync } from 'node:fs';
import { env as ortEnv } from 'onnxruntime-node';
import { DEFAULT_PREFILL_CHUNK, openOnnxEngine } from '../src/inference/onnx/open-engine.js';
import type { GenerateResult } from '../src/inference/types.js';
import {
  type BurstRequest,
  type BurstRequestSample,
  type BurstSample,
  type ChatTurn,
  type ChosenPrompt,
  type Finished,
  firstDifference,
  progress,
  type RunSample,
  readJob,
  type Selected,
  serve,
  type TeambotJob,
  type TurnSample,
} from './protocol.js';
import { openThreadEngine } from './thread-engine.js';

const job = readJob<TeambotJob>();
const errors = new Set<string>();

const loadStarted = performance.now();
// teambot's local engine: its scheduler, with room for maxBatchSize rows (1 for the single stream).
const engine = job.thread
  ? await openThreadEngine(job)
  : await openOnnxEngine(job.modelDir, {
      name: 'teambot-demo-bench',
      device: 'cpu',
      dtype: job.dtype,
      threads: job.threads,
      contextLength: job.contextLength ?? 2048,
      defaults: { maxNewTokens: job.tokens, temperature: 0, prefillChunk: DEFAULT_PREFILL_CHUNK },
      batch: { maxBatchSize: job.maxBatchSize, maxWaiting: 1_000, perUserMax: 1 },
      prefixCacheBytes: job.prefixCacheBytes ?? 0,
    });
const loadMs = performance.now() - loadStarted;
progress(`teambot: loaded in ${loadMs.toFixed(0)} ms (${engine.device().dtype ?? job.dtype} on cpu)`);

async function generate(messages: ChatTurn[]): Promise<{ result: GenerateResult; sample: RunSample }> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const generation = engine.generate({ messages, maxTokens: job.tokens, temperature: 0 });
  // Read the stream as a chat client would: the text chunks are part of the work.
  for await (const _chunk of generation) {
  }
  const result = await generation.result;
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const t = result.timings;
  if (t === undefined) throw new Error('The engine returned no timings.');
  const sample: RunSample = {
    promptTokens: t.promptTokens,
    newTokens: result.tokenIds?.length ?? 0,
    prefillMs: t.prefillMs,
    ttftMs: t.firstTokenMs,
    decodeMs: t.decodeMs,
    decodeRunMs: t.decodeRunMs,
    totalMs: t.totalMs,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  return { result, sample };
}

/** Screens the candidates; each screening run doubles as a warm-up of that prompt. */
async function select(): Promise<ChosenPrompt[]> {
  const chosen: ChosenPrompt[] = [];
  for (const group of job.groups) {
    let best: ChosenPrompt | undefined;
    for (const [index, messages] of group.candidates.entries()) {
      const { result } = await generate(messages);
      const candidate: ChosenPrompt = {
        label: group.label,
        messages,
        promptIds: result.promptTokenIds ?? [],
        outputIds: result.tokenIds ?? [],
      };
      progress(
        `teambot: ${group.label} candidate ${index + 1}: ${candidate.promptIds.length} prompt tokens, ` +
          `${candidate.outputIds.length}/${job.tokens} new (${result.finishReason})`,
      );
      if (best === undefined || candidate.outputIds.length > best.outputIds.length) best = candidate;
      if (candidate.outputIds.length === job.tokens) break;
    }
    if (best === undefined) throw new Error(`prompt group ${group.label} has no candidates`);
    if (best.outputIds.length < job.tokens) {
      errors.add(
        `${group.label}: no candidate prompt decodes ${job.tokens} tokens without EOS ` +
          `(best ${best.outputIds.length}); timed as is`,
      );
    }
    chosen.push(best);
  }
  return chosen;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** N chat users at once: every generation is streamed by its own reader, as the bot does. */
async function burst(request: BurstRequest): Promise<BurstSample> {
  const before = await engine.batchStats();
  const started = performance.now();
  const one = async (messages: ChatTurn[], i: number): Promise<BurstRequestSample> => {
    if (request.staggerMs !== undefined) await sleep(i * request.staggerMs);
    const generation = engine.generate({
      messages,
      maxTokens: job.tokens,
      temperature: 0,
      user: `bench-user-${i}`,
    });
    // generate() tokenizes and queues the request before it returns; its timings then say when
    // the first token was chosen (text chunks can come later: the random-weight model's tokens are
    // often partial UTF-8, held back until whole).
    const queued = performance.now() - started;
    for await (const _chunk of generation) {
    }
    const result = await generation.result;
    const endMs = performance.now() - started;
    const t = result.timings;
    return {
      ttftMs: t === undefined ? endMs : queued + (t.queuedMs ?? 0) + t.firstTokenMs,
      endMs,
      newTokens: result.tokenIds?.length ?? 0,
      outputIds: result.tokenIds ?? [],
    };
  };
  const requests = await Promise.all(request.prompts.map(one));
  const wallMs = performance.now() - started;
  const after = await engine.batchStats();
  const joins = after.stalls.joins - before.stalls.joins;
  const steps = after.decodeSteps - before.decodeSteps;
  return {
    requests,
    wallMs,
    stallsMs: joins > 0 ? after.stalls.recentMs.slice(-joins) : [],
    meanBatch: steps > 0 ? (after.rowSteps - before.rowSteps) / steps : 0,
  };
}

/** bench:threads: one turn of a conversation; what the prefix cache supplied and what was prefilled. */
async function turn(messages: ChatTurn[]): Promise<TurnSample> {
  const before = (await engine.batchStats()).prefixCache;
  const started = performance.now();
  const generation = engine.generate({ messages, maxTokens: job.tokens, temperature: 0 });
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
  };
}

let chosen: ChosenPrompt[] = [];
await serve(async (request) => {
  if (request.kind === 'select') {
    chosen = await select();
    return { chosen } satisfies Selected;
  }
  if (request.kind === 'burst') return await burst(request);
  if (request.kind === 'turn') return await turn(request.messages);
  if (request.kind === 'run') {
    const prompt = chosen[request.prompt];
    if (prompt === undefined) throw new Error(`no chosen prompt ${request.prompt}`);
    const { result, sample } = await generate(prompt.messages);
    const at = firstDifference(result.tokenIds ?? [], prompt.outputIds);
    if (at >= 0) errors.add(`${prompt.label}: a later run decoded other ids than the first (index ${at})`);
    return sample;
  }
  await engine.close();
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return {
    engine: `teambot ${pkg.version}${job.thread ? ' (engine thread)' : ''}`,
    onnxruntime: ortEnv.versions.node ?? 'unknown',
    loadMs,
    peakRssKb: process.resourceUsage().maxRSS,
    errors: [...errors],
  } satisfies Finished;
});
