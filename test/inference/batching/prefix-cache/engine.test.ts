/**
 * The prefix cache across requests on real sessions: a thread's turns, rows sharing a prefix at
 * once, and a budget small enough to evict, on the generated Llama and both generated hybrids.
 * Every answer is the greedy answer of an engine without the cache, token for token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoArch } from '../../../../src/inference/demo/index.js';
import type { OnnxEngine } from '../../../../src/inference/onnx/engine.js';
import { openOnnxEngine } from '../../../../src/inference/onnx/open-engine.js';
import { generatedModelDir } from '../../hybrid/models.js';
import { collect } from '../support.js';

const TOKENS = 24;

function open(dir: string, prefixCacheBytes: number, maxBatchSize = 8): Promise<OnnxEngine> {
  return openOnnxEngine(dir, {
    name: 'test-model',
    device: 'cpu',
    dtype: 'fp32',
    threads: 1,
    contextLength: 2048,
    defaults: { maxNewTokens: TOKENS, temperature: 0, prefillChunk: 64 },
    batch: { maxBatchSize, perUserMax: 0 },
    prefixCacheBytes,
  });
}

const QUESTIONS = [
  'The release was planned for Wednesday. On Tuesday the payment tests failed whenever the cache service restarted.',
  'Who decides whether we ship anyway, and who tells the customers about the delay?',
  'Write three bullet points for the product manager about the build and the tests.',
  'What is the status of the build now that the cache service is fixed?',
];

const prompts = new Map<string, string[]>();

/** A thread's prompts, each the one before plus its answer and the next question. */
async function thread(engine: OnnxEngine, name: string): Promise<number[][]> {
  let prompt = `Thread ${name}.`;
  const answers: number[][] = [];
  const asked: string[] = [];
  for (const question of QUESTIONS) {
    prompt += ` Q: ${question} A:`;
    asked.push(prompt);
    const { result } = await collect(engine.complete({ prompt, maxTokens: TOKENS, temperature: 0 }));
    answers.push(result.tokenIds ?? []);
    prompt += result.text;
  }
  prompts.set(name, asked);
  return answers;
}

describe.each(['llama', 'lfm2', 'qwen3_5'] as DemoArch[])('the prefix cache on the generated %s', (arch) => {
  let dir: string;
  let plain: OnnxEngine;
  let cached: OnnxEngine;
  const expected = new Map<string, number[][]>();
  /** What one thread's blocks take (measured by the first test): the small budget is a third. */
  let threadBytes = 0;

  beforeAll(async () => {
    dir = await generatedModelDir(arch);
    plain = await open(dir, 0);
    for (const name of ['a', 'b', 'c']) expected.set(name, await thread(plain, name));
    cached = await open(dir, 64 * 1024 * 1024);
  });
  afterAll(async () => {
    await plain?.close();
    await cached?.close();
  });

  it('a thread resumes from its earlier turns and answers as without the cache', async () => {
    expect(await thread(cached, 'a')).toEqual(expected.get('a'));
    const stats = cached.batchStats().prefixCache;
    expect(stats).toBeDefined();
    // Every turn after the first resumes from the turn before (prompt and answer).
    expect(stats?.hits).toBeGreaterThanOrEqual(QUESTIONS.length - 1);
    expect(stats?.reusedTokens).toBeGreaterThan(stats?.prefilledTokens ?? Infinity);
    expect(stats?.bytes).toBeGreaterThan(0);
    threadBytes = stats?.bytes ?? 0;
    expect(plain.batchStats().prefixCache).toBeUndefined();
  });

  it('concurrent threads sharing a prefix resume from the same blocks', async () => {
    const before = cached.batchStats().prefixCache;
    const [b, c] = await Promise.all([thread(cached, 'b'), thread(cached, 'c')]);
    expect(b).toEqual(expected.get('b'));
    expect(c).toEqual(expected.get('c'));
    const after = cached.batchStats().prefixCache;
    expect((after?.hits ?? 0) - (before?.hits ?? 0)).toBeGreaterThanOrEqual(2 * (QUESTIONS.length - 1));
  });

  it('prompts resumed from cached prefixes of different lengths at once answer as without the cache', async () => {
    const asked = prompts.get('a') ?? [];
    const before = cached.batchStats();
    const results = await Promise.all(
      asked.map(
        async (prompt) =>
          (await collect(cached.complete({ prompt, maxTokens: TOKENS, temperature: 0 }))).result,
      ),
    );
    expect(results.map((r) => r.tokenIds)).toEqual(expected.get('a'));
    const after = cached.batchStats();
    expect((after.prefixCache?.hits ?? 0) - (before.prefixCache?.hits ?? 0)).toBe(asked.length);
    // Without states, resumed prompts share a pass (their rests right-padded after left-padded prefixes).
    if (arch === 'llama') expect(after.prefillGroups - before.prefillGroups).toBeLessThan(asked.length);
  });

  it('a small budget evicts blocks and answers stay the same', async () => {
    const budget = Math.floor(threadBytes / 3);
    expect(budget).toBeGreaterThan(0);
    const small = await open(dir, budget);
    try {
      expect(await thread(small, 'a')).toEqual(expected.get('a'));
      expect(await thread(small, 'b')).toEqual(expected.get('b'));
      const stats = small.batchStats().prefixCache;
      expect(stats?.evictions).toBeGreaterThan(0);
      expect(stats?.bytes).toBeLessThanOrEqual(budget);
      expect(stats?.hits).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });
});
