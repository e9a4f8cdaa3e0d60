/**
 * The prefix cache across requests on real sessions: a thread's turns, rows sharing a prefix at
 * once, and a budget small enough to evict, on the generated Llama and both generated hybrids.
 * Every answer is the greedy answer of an engine without the cache, token for token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoArch } from '../../../../src/inference/demo/index.js';
import type { OnnxEngine } from '../../../../src/inference/onnx/engine.js';
import { generatedModelDir } from '../../hybrid/models.js';
import { GPT2_FIXTURE, LFM2_FIXTURE, QWEN_FIXTURE } from '../../onnx/models.js';
import { collect, openBatched } from '../support.js';

const TOKENS = 24;

/** The batching engine, with a prefix cache of `bytes` (0: none). */
const open = (dir: string, bytes: number) =>
  openBatched(dir, { maxBatchSize: 8, perUserMax: 0 }, undefined, undefined, bytes);

const QUESTIONS = [
  'The release was planned for Wednesday. On Tuesday the payment tests failed whenever the cache service restarted.',
  'Who decides whether we ship anyway, and who tells the customers about the delay?',
  'Write three bullet points for the product manager about the build and the tests.',
  'What is the status of the build now that the cache service is fixed?',
];

/** Text the fixtures' small vocabularies hold (as the batching exactness tests use). */
const FIXTURE_QUESTIONS = [
  'The man said that it was not the time for all of them to go, and I do not like it',
  'I do not like the man',
  '1 2 3 4 5 6 7 8 9',
  'it was not the time for all of them to go',
];

const prompts = new Map<string, string[]>();
/** Prompt tokens of each thread's turns, summed (the last run's). */
const promptTokens = new Map<string, number>();

/** A thread's prompts, each the one before plus its answer (generated models) and the next question. */
async function thread(engine: OnnxEngine, name: string, questions = QUESTIONS): Promise<number[][]> {
  let prompt = name === 'a' ? 'I' : name === 'b' ? 'The man' : 'it was';
  const answers: number[][] = [];
  const asked: string[] = [];
  for (const question of questions) {
    prompt += ` ${question}`;
    asked.push(prompt);
    const { result } = await collect(engine.complete({ prompt, maxTokens: TOKENS, temperature: 0 }));
    answers.push(result.tokenIds ?? []);
    promptTokens.set(
      name,
      (asked.length === 1 ? 0 : (promptTokens.get(name) ?? 0)) + result.usage.promptTokens,
    );
    // The fixtures' tokenizers read more ids than their models: their answers' text stays out.
    if (questions === QUESTIONS) prompt += result.text;
  }
  prompts.set(name, asked);
  return answers;
}

const scenarios: { name: string; dir: () => Promise<string>; hybrid: boolean; questions: string[] }[] = [
  ...(['llama', 'lfm2', 'qwen3_5'] as DemoArch[]).map((arch) => ({
    name: `the generated ${arch}`,
    dir: () => generatedModelDir(arch),
    hybrid: arch !== 'llama',
    questions: QUESTIONS,
  })),
  { name: 'the gpt2 fixture', dir: async () => GPT2_FIXTURE, hybrid: false, questions: FIXTURE_QUESTIONS },
  {
    name: "onnxruntime-genai's LFM2 export",
    dir: async () => LFM2_FIXTURE,
    hybrid: true,
    questions: FIXTURE_QUESTIONS,
  },
  {
    name: 'the fp16 Qwen3.5 fixture',
    dir: async () => QWEN_FIXTURE,
    hybrid: true,
    questions: FIXTURE_QUESTIONS,
  },
];

describe.each(scenarios)('the prefix cache on $name', ({ dir: dirOf, hybrid, questions }) => {
  let dir: string;
  let plain: OnnxEngine;
  let cached: OnnxEngine;
  const expected = new Map<string, number[][]>();
  /** What one thread's blocks take (measured by the first test): the small budget is a third. */
  let threadBytes = 0;

  beforeAll(async () => {
    dir = await dirOf();
    plain = await open(dir, 0);
    for (const name of ['a', 'b', 'c']) expected.set(name, await thread(plain, name, questions));
    cached = await open(dir, 64 * 1024 * 1024);
  });
  afterAll(async () => {
    await plain?.close();
    await cached?.close();
  });

  it('a thread resumes from its earlier turns and answers as without the cache', async () => {
    expect(await thread(cached, 'a', questions)).toEqual(expected.get('a'));
    const stats = cached.batchStats().prefixCache;
    expect(stats).toBeDefined();
    // Every turn after the first resumes from the turn before (prompt and answer).
    expect(stats?.hits).toBeGreaterThanOrEqual(questions.length - 1);
    // With the answers in the thread, most of each prompt comes from the cache.
    expect(stats?.reusedTokens).toBeGreaterThan(
      questions === QUESTIONS ? (stats?.prefilledTokens ?? Infinity) : 0,
    );
    expect(stats?.bytes).toBeGreaterThan(0);
    threadBytes = stats?.bytes ?? 0;
    // Every prompt token was either taken from the cache or prefilled.
    expect((stats?.reusedTokens ?? 0) + (stats?.prefilledTokens ?? 0)).toBe(promptTokens.get('a'));
    expect(plain.batchStats().prefixCache).toBeUndefined();
  });

  it('concurrent threads sharing a prefix resume from the same blocks', async () => {
    const before = cached.batchStats().prefixCache;
    const [b, c] = await Promise.all([thread(cached, 'b', questions), thread(cached, 'c', questions)]);
    expect(b).toEqual(expected.get('b'));
    expect(c).toEqual(expected.get('c'));
    const after = cached.batchStats().prefixCache;
    expect((after?.hits ?? 0) - (before?.hits ?? 0)).toBeGreaterThanOrEqual(2 * (questions.length - 1));
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
    if (!hybrid) expect(after.prefillGroups - before.prefillGroups).toBeLessThan(asked.length);
  });

  it('resumes from the cache with room for one row (BATCH_MAX_SIZE=1) too', async () => {
    const single = await openBatched(dir, { maxBatchSize: 1 }, undefined, undefined, 64 * 1024 * 1024);
    try {
      expect(await thread(single, 'b', questions)).toEqual(expected.get('b'));
      expect(single.batchStats().prefixCache?.hits).toBeGreaterThanOrEqual(questions.length - 1);
    } finally {
      await single.close();
    }
  });

  it('a small budget evicts blocks and answers stay the same', async () => {
    const budget = Math.floor(threadBytes / 3);
    expect(budget).toBeGreaterThan(0);
    const small = await open(dir, budget);
    try {
      expect(await thread(small, 'a', questions)).toEqual(expected.get('a'));
      expect(await thread(small, 'b', questions)).toEqual(expected.get('b'));
      const stats = small.batchStats().prefixCache;
      expect(stats?.evictions).toBeGreaterThan(0);
      expect(stats?.bytes).toBeLessThanOrEqual(budget);
      expect(stats?.hits).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });
});
