import { describe, expect, it } from 'vitest';
import { WaitQueue } from '../../../src/inference/batching/admission.js';
import type { DecodeParams } from '../../../src/inference/batching/decode-types.js';
import type { RowJob } from '../../../src/inference/batching/row.js';
import { DEFAULT_BATCH_SETTINGS } from '../../../src/inference/batching/settings.js';
import { Throughput } from '../../../src/inference/batching/throughput.js';
import { EngineError } from '../../../src/inference/errors.js';

const params = (maxNewTokens: number): DecodeParams => ({
  temperature: 0,
  maxNewTokens,
  seed: 1,
  stop: [],
  eosIds: new Set(),
  prefillChunk: 512,
});

function job(promptLength: number, user?: string, maxNewTokens = 10): RowJob {
  return {
    promptIds: new Array(promptLength).fill(1),
    params: params(maxNewTokens),
    user,
    signal: new AbortController().signal,
    sink: { push: () => {}, end: () => {}, fail: () => {} },
    submittedAt: 0,
  };
}

const empty = { rows: 0, tokensInFlight: 0, perUser: new Map<string, number>() };

describe('WaitQueue', () => {
  it('admits FIFO up to the free rows', () => {
    const queue = new WaitQueue({ ...DEFAULT_BATCH_SETTINGS, perUserMax: 0 });
    const jobs = [job(5), job(6), job(7)];
    for (const j of jobs) queue.push(j, 0, () => 1000);
    expect(queue.admit(empty, 2)).toEqual([jobs[0], jobs[1]]);
    expect(queue.length).toBe(1);
  });

  it('passes over a user at the cap, keeping their place', () => {
    const queue = new WaitQueue({ ...DEFAULT_BATCH_SETTINGS, perUserMax: 1 });
    const [a1, a2, b1] = [job(5, 'a'), job(5, 'a'), job(5, 'b')];
    for (const j of [a1, a2, b1]) queue.push(j as RowJob, 0, () => 1000);
    expect(queue.admit(empty, 8)).toEqual([a1, b1]);
    expect(queue.admit({ rows: 1, tokensInFlight: 15, perUser: new Map([['a', 1]]) }, 8)).toEqual([]);
    expect(queue.admit(empty, 8)).toEqual([a2]);
  });

  it('stops at the token budget without overtaking, but an empty batch always takes one', () => {
    const queue = new WaitQueue({ ...DEFAULT_BATCH_SETTINGS, maxTokensInFlight: 100, perUserMax: 0 });
    const [big, small] = [job(150), job(5)];
    queue.push(big, 0, () => 1000);
    queue.push(small, 0, () => 1000);
    expect(queue.admit(empty, 8)).toEqual([big]);
    expect(queue.admit({ rows: 1, tokensInFlight: 160, perUser: new Map() }, 8)).toEqual([]);
    expect(queue.admit(empty, 8)).toEqual([small]);
  });

  it('bounds the newcomers’ prompt tokens per boundary while rows run (the stall), not when idle', () => {
    const queue = new WaitQueue({ ...DEFAULT_BATCH_SETTINGS, perUserMax: 0 });
    const jobs = [job(300), job(300), job(300)];
    for (const j of jobs) queue.push(j, 0, () => 1000);
    const running = { rows: 2, tokensInFlight: 0, perUser: new Map<string, number>() };
    expect(queue.admit(running, 16, 500)).toEqual([jobs[0]]);
    expect(queue.admit(empty, 16, 500)).toEqual([jobs[1], jobs[2]]);
  });

  it('counts what a newcomer’s prefill computes against that bound (the prefix cache holds the rest)', () => {
    const queue = new WaitQueue({ ...DEFAULT_BATCH_SETTINGS, perUserMax: 0 });
    const jobs = [job(300), job(300), job(300)];
    for (const j of jobs) queue.push(j, 0, () => 1000);
    const running = { rows: 2, tokensInFlight: 0, perUser: new Map<string, number>() };
    // 288 of each prompt cached: 12 tokens each to prefill, all three fit 500.
    expect(queue.admit(running, 16, 500, (j) => j.promptIds.length - 288)).toEqual(jobs);
  });

  it('refuses when the waiting room beyond the free rows is full', () => {
    const queue = new WaitQueue({ ...DEFAULT_BATCH_SETTINGS, maxBatchSize: 2, maxWaiting: 1 });
    queue.push(job(5), 2, () => 1000);
    expect(() => queue.push(job(5), 2, () => 4321)).toThrow(EngineError);
    try {
      queue.push(job(5), 2, () => 4321);
    } catch (error) {
      expect((error as EngineError).code).toBe('busy');
      expect((error as EngineError).retryAfterMs).toBe(4321);
    }
    // With a free row the request is taken even though one already waits.
    expect(() => queue.push(job(5), 1, () => 1000)).not.toThrow();
  });
});

describe('Throughput', () => {
  it('estimates the wait from the recent completion rate, clamped', () => {
    let now = 0;
    const t = new Throughput(32, () => now);
    expect(t.retryAfterMs(4, 2)).toBe(10_000);
    for (let i = 0; i < 5; i++) {
      now += 2_000;
      t.finished(3_000);
    }
    expect(t.retryAfterMs(3, 2)).toBe(6_000);
    expect(t.retryAfterMs(1_000, 2)).toBe(300_000);
    expect(t.retryAfterMs(0, 2)).toBe(1_000);
  });
});
