import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxEngine } from '../../../src/inference/onnx/engine.js';
import type { GenerateResult } from '../../../src/inference/types.js';
import { greedyRecomputed, openCpu } from '../onnx/greedy.js';
import { demoModelDir, GPT2_FIXTURE } from '../onnx/models.js';
import { collect, graphCanBatch, openBatched, sleep, streamed } from './support.js';

// Longer than TAIL_HEADROOM, so the tail-output cache grows while rows run.
const TOKENS = 48;

/** "Alone": the same engine and scheduler with room for one row, each request on its own. */
function openAlone(dir: string): Promise<OnnxEngine> {
  return openBatched(dir, { maxBatchSize: 1 });
}

/** Prompts that start with the same long text (a shared system prompt or thread): prefilled once. */
const sharing = (base: string, asks: string[]) => asks.map((ask) => `${base} ${ask}`);

const LLAMA_SHARED = sharing(
  'The release was planned for Wednesday. On Tuesday the payment tests failed whenever the cache service restarted: the client retries for longer than the test timeout.',
  ['Summarize the thread.', 'Who decides?', 'Write three bullet points for the product manager.'],
);
const GPT2_SHARED = sharing(
  'The man said that it was not the time for all of them to go, and I do not like it, and it was not the time for all of them to go',
  ['1 2 3', 'I do not like the man', 'it was not'],
);

const scenarios = [
  {
    name: 'the generated Llama model',
    dir: demoModelDir,
    shared: LLAMA_SHARED,
    prompts: [
      'Once upon a time, in a small town by the sea,',
      'Hi',
      'The team meeting moved to Thursday afternoon; please tell everyone who joins by video and who comes in person.',
      'What is the status of the build?',
      'a b c',
      'Summarize the thread: the release slipped because the payment tests failed whenever the cache restarted.',
    ],
  },
  {
    name: 'the shared gpt2 fixture',
    dir: async () => GPT2_FIXTURE,
    shared: GPT2_SHARED,
    prompts: [
      'The man said that it was not the time for all of them to go',
      'I do not like it',
      '1 2 3 4 5 6 7 8 9',
      'it was not the time',
      'The man said that I do not like it, and it was not the time for all of them to go 1 2 3',
      'I do not like the man',
    ],
  },
];

describe.each(scenarios)('continuous batching on $name', ({ dir: dirOf, prompts, shared }) => {
  let dir: string;
  let alone: Map<string, GenerateResult>;
  let engine: OnnxEngine;

  beforeAll(async () => {
    dir = await dirOf();
    const single = await openAlone(dir);
    alone = new Map();
    for (const prompt of [...prompts, ...shared]) {
      const { result } = await collect(single.complete({ prompt, maxTokens: TOKENS, temperature: 0 }));
      alone.set(prompt, result);
    }
    await single.close();
    engine = await openBatched(dir, { maxBatchSize: 8, perUserMax: 0 });
    expect(graphCanBatch(engine.model)).toBe(true);
    // Steps fetch only their new positions (onnx/tail-outputs.ts): one tail per present.
    const presents = engine.model.spec.kv.layers.length * (engine.model.spec.kv.kind === 'separate' ? 2 : 1);
    expect(engine.model.spec.tails?.kv.size).toBe(presents);
  });
  afterAll(() => engine.close());

  it('alone, every request gets the tokens of greedy decoding recomputed in full (no cache)', async () => {
    const model = await openCpu(dir, 'fp32');
    try {
      for (const prompt of [...prompts, ...shared]) {
        const reference = alone.get(prompt) as GenerateResult;
        const ids = reference.promptTokenIds ?? [];
        expect(ids).toEqual(model.tokenizer.tokenizer.encode(prompt));
        const greedy = await greedyRecomputed(model, ids, TOKENS);
        const n = reference.tokenIds?.length ?? 0;
        expect(reference.tokenIds, prompt).toEqual(greedy.slice(0, n));
        if (reference.finishReason === 'stop') expect(model.eosIds.has(greedy[n] as number)).toBe(true);
        else expect(n).toBe(TOKENS);
      }
    } finally {
      await model.opened.session.release();
    }
  });

  it('gives every request the greedy tokens it gets alone, with staggered arrivals', async () => {
    const before = engine.batchStats();
    const runs: Promise<GenerateResult>[] = [];
    for (const prompt of prompts) {
      const run = streamed(engine.complete({ prompt, maxTokens: TOKENS, temperature: 0 }), 2);
      runs.push(run.done);
      // The next one arrives while this one is already decoding.
      await run.atN;
    }
    const results = await Promise.all(runs);
    // Some answers run past the cache's free columns, so it grew while rows were running.
    expect(Math.max(...results.map((r) => r.tokenIds?.length ?? 0))).toBeGreaterThan(32);
    for (const [i, prompt] of prompts.entries()) {
      const reference = alone.get(prompt);
      expect(results[i]?.tokenIds, prompt).toEqual(reference?.tokenIds);
      expect(results[i]?.text).toBe(reference?.text);
      expect(results[i]?.finishReason).toBe(reference?.finishReason);
    }
    const after = engine.batchStats();
    const steps = after.decodeSteps - before.decodeSteps;
    const rowSteps = after.rowSteps - before.rowSteps;
    // Rows really shared forward passes, and newcomers joined a running batch.
    expect(rowSteps / steps).toBeGreaterThan(1.5);
    expect(after.stalls.joins).toBeGreaterThan(before.stalls.joins);
    expect(after.running).toBe(0);
  });

  it('gives the same tokens when all arrive at once (prefilled together, left-padded)', async () => {
    const before = engine.batchStats();
    const results = await Promise.all(
      prompts.map((prompt) =>
        collect(engine.complete({ prompt, maxTokens: TOKENS, temperature: 0 })).then((r) => r.result),
      ),
    );
    for (const [i, prompt] of prompts.entries()) {
      expect(results[i]?.tokenIds, prompt).toEqual(alone.get(prompt)?.tokenIds);
    }
    const after = engine.batchStats();
    expect(after.prefilledRows - before.prefilledRows).toBe(prompts.length);
    expect(after.prefillGroups - before.prefillGroups).toBeLessThan(prompts.length);
  });

  it('gives the same tokens when prompts that share a long prefix arrive together (prefix computed once)', async () => {
    const before = engine.batchStats();
    const mixed = [...shared, prompts[1] as string];
    const results = await Promise.all(
      mixed.map((prompt) =>
        collect(engine.complete({ prompt, maxTokens: TOKENS, temperature: 0 })).then((r) => r.result),
      ),
    );
    for (const [i, prompt] of mixed.entries()) {
      expect(results[i]?.tokenIds, prompt).toEqual(alone.get(prompt)?.tokenIds);
      expect(results[i]?.text).toBe(alone.get(prompt)?.text);
    }
    const after = engine.batchStats();
    // All but one of the sharing prompts skipped the common prefix (at least 32 tokens).
    expect(after.sharedPrefixTokens - before.sharedPrefixTokens).toBeGreaterThanOrEqual(
      (shared.length - 1) * 32,
    );
  });

  it('leaves the other rows exact when some are cancelled mid-batch (compaction)', async () => {
    const controllers = prompts.map(() => new AbortController());
    const runs = prompts.map((prompt, i) =>
      streamed(engine.complete({ prompt, maxTokens: TOKENS, temperature: 0 }, controllers[i]?.signal), 3),
    );
    // Cancel every other request once it has streamed three chunks.
    await Promise.all(
      runs.map(async (run, i) => {
        await run.atN;
        if (i % 2 === 1) controllers[i]?.abort();
      }),
    );
    const results = await Promise.all(runs.map((r) => r.done));
    for (const [i, prompt] of prompts.entries()) {
      const reference = alone.get(prompt);
      const result = results[i] as GenerateResult;
      if (i % 2 === 1 && (reference?.tokenIds?.length ?? 0) > 3) {
        expect(result.finishReason).toBe('cancelled');
        expect(reference?.text.startsWith(result.text)).toBe(true);
      } else if (i % 2 === 0) {
        expect(result.tokenIds, prompt).toEqual(reference?.tokenIds);
      }
    }
    await sleep(50);
    expect(engine.batchStats().running).toBe(0);
  });

  it('with BATCH_MAX_SIZE=1 runs one at a time and still gives the same tokens', async () => {
    const one = await openBatched(dir, { maxBatchSize: 1 });
    try {
      const results = await Promise.all(
        prompts
          .slice(0, 3)
          .map((prompt) =>
            collect(one.complete({ prompt, maxTokens: TOKENS, temperature: 0 })).then((r) => r.result),
          ),
      );
      for (const [i, prompt] of prompts.slice(0, 3).entries()) {
        expect(results[i]?.tokenIds).toEqual(alone.get(prompt)?.tokenIds);
      }
      const stats = one.batchStats();
      expect(stats.rowSteps).toBe(stats.decodeSteps);
    } finally {
      await one.close();
    }
  });
});
