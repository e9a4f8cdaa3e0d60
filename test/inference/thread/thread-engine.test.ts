import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/inference/errors.js';
import type { OnnxEngine } from '../../../src/inference/onnx/engine.js';
import type { ThreadEngine } from '../../../src/inference/thread/thread-engine.js';
import type { GenerateRequest } from '../../../src/inference/types.js';
import { collect, openBatched, sleep } from '../batching/support.js';
import { demoModelDir, GPT2_FIXTURE } from '../onnx/models.js';
import { openThread } from './support.js';

const PROMPTS = [
  'Once upon a time, in a small town by the sea,',
  'Hi',
  'The team meeting moved to Thursday afternoon; please tell everyone who joins by video.',
  'What is the status of the build?',
];

const ask = (content: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [{ role: 'user', content }],
  maxTokens: 16,
  temperature: 0,
  ...extra,
});

/** Resolves once the engine thread reports this many running rows. */
async function untilRunning(engine: ThreadEngine, rows: number): Promise<void> {
  for (let i = 0; i < 500 && engine.load().running < rows; i++) await sleep(10);
  expect(engine.load().running).toBeGreaterThanOrEqual(rows);
}

type Engine = Pick<ThreadEngine, 'generate' | 'complete'>;
/** The gpt2 fixture has no chat template and a 1,000-id vocabulary: it gets raw completions. */
const chat = (engine: Engine, prompt: string) => engine.generate(ask(prompt));
const raw = (engine: Engine, prompt: string) => engine.complete({ prompt, maxTokens: 16, temperature: 0 });

describe.each([
  { name: 'the generated Llama model', dir: demoModelDir, run: chat },
  { name: 'the shared gpt2 fixture', dir: async () => GPT2_FIXTURE, run: raw },
])('the engine thread on $name', ({ dir, run }) => {
  let threaded: ThreadEngine;
  let inProcess: OnnxEngine;
  const batchSizes: number[] = [];
  const prompts =
    dir === demoModelDir ? PROMPTS : ['The man said that it was not the time', 'I do not like it'];

  beforeAll(async () => {
    const path = await dir();
    threaded = await openThread(
      path,
      {},
      {
        batchSize: (rows) => batchSizes.push(rows),
        queueDepth: () => {},
        rejected: () => {},
      },
    );
    inProcess = await openBatched(path, { maxBatchSize: 8 });
  });
  afterAll(async () => {
    await threaded?.close();
    await inProcess?.close();
  });

  it('gives the same greedy tokens and text as the engine in this thread, alone and batched', async () => {
    for (const prompt of prompts) {
      const alone = await collect(run(threaded, prompt));
      const reference = await collect(run(inProcess, prompt));
      expect(alone.result.tokenIds).toEqual(reference.result.tokenIds);
      expect(alone.chunks.join('')).toBe(reference.result.text);
    }
    const together = await Promise.all(prompts.map((p) => collect(run(threaded, p))));
    for (const [i, prompt] of prompts.entries()) {
      const reference = await run(inProcess, prompt).result;
      expect(together[i]?.result.tokenIds).toEqual(reference.tokenIds);
    }
    // The scheduler's metrics reached this thread, batched steps among them (how many rows a step
    // held at most depends on when the requests reached the engine thread: at least two).
    expect(Math.max(...batchSizes)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(prompts.length);
    const stats = await threaded.batchStats();
    expect(stats.decodeSteps).toBeGreaterThan(0);
    expect(stats.rowSteps).toBeGreaterThan(stats.decodeSteps);
  });

  it('admits requests started in one tick at one boundary: none joins a batch already running', async () => {
    const before = await threaded.batchStats();
    const sizes = batchSizes.length;
    await Promise.all(prompts.map((p) => collect(run(threaded, p))));
    const after = await threaded.batchStats();
    // Sent as one port message (thread/outbox.ts): the first decode step holds every row.
    expect(after.stalls.joins).toBe(before.stalls.joins);
    expect(batchSizes[sizes]).toBe(prompts.length);
  });

  it('counts prompt tokens on this thread as the engine does', async () => {
    if (run === raw) return expect(threaded.countTokens([])).toBe(inProcess.countTokens([]));
    const messages = ask(prompts[0] ?? '').messages;
    const result = await threaded.generate(ask(prompts[0] ?? '')).result;
    expect(threaded.countTokens(messages)).toBe(result.usage.promptTokens);
    expect(threaded.countTokens(messages)).toBe(inProcess.countTokens(messages));
    expect(threaded.info()).toEqual({ ...inProcess.info(), model: 'test-model' });
  });
});

describe('the engine thread: cancellation, deadlines, busy, status', () => {
  let engine: ThreadEngine;
  beforeAll(async () => {
    engine = await openThread(await demoModelDir(), { BATCH_MAX_SIZE: 1, BATCH_MAX_WAITING: 1 });
  });
  afterAll(() => engine?.close());

  it('stops a generation when its signal aborts, and frees its row', async () => {
    const controller = new AbortController();
    const generation = engine.generate(ask(PROMPTS[0] ?? '', { maxTokens: 400 }), controller.signal);
    const chunks: string[] = [];
    for await (const chunk of generation) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }
    const result = await generation.result;
    expect(result.finishReason).toBe('cancelled');
    expect(result.text).toBe(chunks.join(''));
    for (let i = 0; i < 200 && engine.load().running > 0; i++) await sleep(10);
    expect(engine.load().running).toBe(0);
    // The row is free: the next request is answered.
    expect((await engine.generate(ask('Hi', { maxTokens: 2 })).result).finishReason).not.toBe('cancelled');
  });

  it('stops a generation whose consumer stops iterating', async () => {
    const generation = engine.generate(ask(PROMPTS[2] ?? '', { maxTokens: 400 }));
    for await (const _chunk of generation) break;
    expect((await generation.result).finishReason).toBe('cancelled');
    for (let i = 0; i < 200 && engine.load().running > 0; i++) await sleep(10);
    expect(engine.load().running).toBe(0);
  });

  it('fails a request past its deadline with a timeout EngineError', async () => {
    const error = await engine
      .generate(ask(PROMPTS[0] ?? '', { maxTokens: 2000, timeoutMs: 30 }))
      .result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('timeout');
  });

  it('refuses at once as busy, with a retry-after, when rows and queue are full', async () => {
    const running = engine.generate(ask(PROMPTS[0] ?? '', { maxTokens: 300 }));
    await untilRunning(engine, 1);
    const waiting = engine.generate(ask('Hi', { maxTokens: 2 }));
    for (let i = 0; i < 200 && engine.load().waiting < 1; i++) await sleep(5);
    const refused = await engine.generate(ask('Hi', { maxTokens: 2 })).result.catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).code).toBe('busy');
    expect((refused as EngineError).retryable).toBe(true);
    expect((refused as EngineError).retryAfterMs).toBeGreaterThan(0);
    // Refused on this thread: it holds as many requests as the engine thread can (no round trip).
    expect((refused as EngineError).message).toMatch(/2 requests running or waiting \(at most 2\)/);
    await running.result;
    expect((await waiting.result).finishReason).not.toBe('cancelled');
  });

  it('reports ready from this thread, with the model and device', async () => {
    expect(await engine.status()).toEqual({
      ready: true,
      detail: expect.stringContaining('test-model on cpu'),
    });
    expect(engine.device()).toEqual(expect.objectContaining({ device: 'cpu' }));
  });
});

describe('a dying engine thread', () => {
  it('ends the requests it held with a retryable restarted error, comes back, and answers the next', async () => {
    const engine = await openThread(await demoModelDir());
    try {
      const held = engine.generate(ask(PROMPTS[0] ?? '', { maxTokens: 400 }));
      const chunks: string[] = [];
      const failure = (async () => {
        for await (const chunk of held) {
          chunks.push(chunk);
          if (chunks.length === 1) await engine.killThreadForTest();
        }
      })().catch((e: unknown) => e);
      const error = await failure;
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('restarted');
      expect((error as EngineError).retryable).toBe(true);
      expect((error as EngineError).message).toMatch(/restarted.*ask again/i);
      const next = await engine.generate(ask('Hi', { maxTokens: 4 })).result;
      expect(next.usage.completionTokens).toBeGreaterThan(0);
      expect(engine.restartCount).toBe(1);
      expect((await engine.status()).ready).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('refuses to open a model it cannot read, with the loader error', async () => {
    const error = await openThread('/nonexistent/model-dir').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/nonexistent/);
  });
});
