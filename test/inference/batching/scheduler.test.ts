import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusBatchMetrics } from '../../../src/inference/batching/metrics.js';
import { EngineError } from '../../../src/inference/errors.js';
import type { OnnxEngine } from '../../../src/inference/onnx/engine.js';
import { demoModelDir, QWEN_FIXTURE } from '../onnx/models.js';
import { collect, graphCanBatch, openBatched } from './support.js';

const PROMPT = 'Once upon a time, in a small town by the sea,';
const request = (user?: string, maxTokens = 12) => ({
  messages: [{ role: 'user' as const, content: PROMPT }],
  maxTokens,
  temperature: 0,
  user,
});

let dir: string;
beforeAll(async () => {
  dir = await demoModelDir();
});

async function caught(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

describe('BatchScheduler admission', () => {
  let engine: OnnxEngine;
  let registry: Registry;
  beforeAll(async () => {
    registry = new Registry();
    engine = await openBatched(
      dir,
      { maxBatchSize: 1, maxWaiting: 1, perUserMax: 0 },
      prometheusBatchMetrics(registry),
    );
  });
  afterAll(() => engine.close());

  it('refuses at once with a retryable busy error when the queue is full', async () => {
    const running = engine.generate(request());
    const waiting = engine.generate(request());
    const refused = engine.generate(request());
    const started = performance.now();
    const error = await caught(refused.result);
    expect(performance.now() - started).toBeLessThan(50);
    expect(error.code).toBe('busy');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(error.message).toMatch(/BATCH_MAX_WAITING=1/);
    // The two that were taken still finish normally.
    const [a, b] = await Promise.all([collect(running), collect(waiting)]);
    expect(a.result.tokenIds).toEqual(b.result.tokenIds);
    const text = await registry.metrics();
    expect(text).toMatch(/teambot_inference_rejections_total\{reason="busy"\} 1/);
    expect(text).toMatch(/teambot_batch_size_count [1-9]/);
    expect(text).toMatch(/teambot_inference_queue_depth 0/);
  });

  it('estimates retryAfterMs from recent throughput once requests have finished', async () => {
    for (let i = 0; i < 4; i++) await collect(engine.generate(request()));
    const held = [engine.generate(request()), engine.generate(request())];
    const error = await caught(engine.generate(request()).result);
    expect(error.code).toBe('busy');
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(300_000);
    await Promise.all(held.map((g) => g.result));
  });
});

describe('BatchScheduler fairness, deadlines and cancellation', () => {
  it('caps the rows of one user: another user goes first, FIFO otherwise', async () => {
    const sizes: number[] = [];
    const metrics = { batchSize: (n: number) => sizes.push(n), queueDepth: () => {}, rejected: () => {} };
    const engine = await openBatched(dir, { maxBatchSize: 4, perUserMax: 1 }, metrics);
    try {
      const gens = [
        engine.generate(request('u1')),
        engine.generate(request('u1')),
        engine.generate(request('u1')),
        engine.generate(request('u2')),
      ];
      const results = (await Promise.all(gens.map((g) => collect(g)))).map((r) => r.result);
      // The first step ran u1's first request beside u2's (u1's second was passed over), and u1
      // never held two rows: four requests, four rows allowed, at most two at once.
      expect(sizes[0]).toBe(2);
      expect(Math.max(...sizes)).toBe(2);
      expect(sizes.filter((n) => n === 1).length).toBeGreaterThan(0);
      for (const r of results) expect(r.tokenIds).toEqual(results[0]?.tokenIds);
      expect(results[0]?.tokenIds?.length).toBe(12);
    } finally {
      await engine.close();
    }
  });

  it('fails a request whose deadline passes while it waits, and one whose deadline passes while it runs', async () => {
    let offset = 0;
    const engine = await openBatched(dir, { maxBatchSize: 1 }, undefined, () => performance.now() + offset);
    try {
      const first = engine.generate(request(undefined, 64));
      const late = engine.generate({ ...request(), timeoutMs: 0 });
      const error = await caught(late.result);
      expect(error.code).toBe('timeout');
      await first.result;

      const running = engine.generate({ ...request(undefined, 64), timeoutMs: 60_000 });
      let chunks = 0;
      const stream = (async () => {
        for await (const _ of running) {
          chunks++;
          // Two minutes pass on the engine's clock after the third chunk.
          if (chunks === 3) offset += 120_000;
        }
      })();
      const failure = await caught(stream);
      expect(failure.code).toBe('timeout');
      expect(chunks).toBeGreaterThanOrEqual(3);
      expect((await caught(running.result)).code).toBe('timeout');
      expect(engine.batchStats().running).toBe(0);
      // The engine goes on serving.
      const { result } = await collect(engine.generate(request()));
      expect(result.finishReason).not.toBe('cancelled');
    } finally {
      await engine.close();
    }
  });

  it('refuses a bad timeoutMs with a clear error', async () => {
    const engine = await openBatched(dir);
    try {
      const error = await caught(engine.generate({ ...request(), timeoutMs: -1 }).result);
      expect(error.code).toBe('bad_request');
      expect(error.message).toMatch(/timeoutMs/);
    } finally {
      await engine.close();
    }
  });

  it('a request cancelled while it waits never runs; its row is not taken', async () => {
    const engine = await openBatched(dir, { maxBatchSize: 1 });
    try {
      const first = engine.generate(request());
      const controller = new AbortController();
      const waiting = engine.generate(request(), controller.signal);
      controller.abort();
      expect((await waiting.result).finishReason).toBe('cancelled');
      await first.result;
      const stats = engine.batchStats();
      expect(stats.waiting).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('closing the engine fails what waits with a clear error', async () => {
    const engine = await openBatched(dir, { maxBatchSize: 1 });
    const first = engine.generate(request(undefined, 32));
    const second = engine.generate(request(undefined, 32));
    await engine.close();
    const outcomes = await Promise.allSettled([first.result, second.result]);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect((outcome.reason as EngineError).code).toBe('unreachable');
    }
    expect((await caught(engine.generate(request()).result)).code).toBe('unreachable');
  });
});

describe('a graph without position_ids', () => {
  it('runs one row at a time (left padding needs position ids) and stays exact', async () => {
    const engine = await openBatched(QWEN_FIXTURE, { maxBatchSize: 8 });
    try {
      expect(graphCanBatch(engine.model)).toBe(false);
      const prompt = 'I do not like it';
      const alone = await collect(engine.complete({ prompt, maxTokens: 8, temperature: 0 }));
      const together = await Promise.all(
        [0, 1, 2].map(() => collect(engine.complete({ prompt, maxTokens: 8, temperature: 0 }))),
      );
      for (const r of together) expect(r.result.tokenIds).toEqual(alone.result.tokenIds);
      const stats = engine.batchStats();
      expect(stats.rowSteps).toBe(stats.decodeSteps);
    } finally {
      await engine.close();
    }
  });
});
