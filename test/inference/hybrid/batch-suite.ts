/**
 * Batch == alone on a hybrid graph (per-row conv / recurrent states beside the KV cache): every
 * request gets the greedy tokens it gets running alone, with staggered arrivals, prompts of
 * different lengths, shared prefixes and cancellations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxEngine } from '../../../src/inference/onnx/engine.js';
import type { GenerateResult } from '../../../src/inference/types.js';
import { collect, openBatched, streamed } from '../batching/support.js';

export interface HybridScenario {
  name: string;
  dir: () => Promise<string>;
  /** Prompts of different lengths whose tokens the model's vocabulary holds. */
  prompts: string[];
  tokens: number;
}

export function hybridBatchSuite({ name, dir: dirOf, prompts, tokens }: HybridScenario): void {
  const shared = prompts.map((p) => `${prompts.join(' ')} ${p}`).slice(0, 3);
  describe(`continuous batching with per-row states on ${name}`, () => {
    let engine: OnnxEngine;
    const alone = new Map<string, GenerateResult>();
    const run = (e: OnnxEngine, prompt: string, signal?: AbortSignal) =>
      e.complete({ prompt, maxTokens: tokens, temperature: 0 }, signal);

    beforeAll(async () => {
      const dir = await dirOf();
      const single = await openBatched(dir, { maxBatchSize: 1 });
      for (const prompt of [...prompts, ...shared])
        alone.set(prompt, (await collect(run(single, prompt))).result);
      await single.close();
      engine = await openBatched(dir, { maxBatchSize: 8, perUserMax: 0 });
      expect(engine.model.spec.states.length).toBeGreaterThan(0);
      // Steps fetch only their new KV positions; states come back whole (they have no sequence axis).
      expect(engine.model.spec.tails?.kv.size).toBeGreaterThan(0);
      expect(Math.max(...[...alone.values()].map((r) => r.tokenIds?.length ?? 0))).toBeGreaterThan(8);
    });
    afterAll(() => engine.close());

    const expectAlone = (results: GenerateResult[], asked: string[]) => {
      for (const [i, prompt] of asked.entries()) {
        expect(results[i]?.tokenIds, prompt).toEqual(alone.get(prompt)?.tokenIds);
        expect(results[i]?.text).toBe(alone.get(prompt)?.text);
      }
    };

    it('gives every row its tokens alone with staggered arrivals (states carried through joins)', async () => {
      const before = engine.batchStats();
      const runs: Promise<GenerateResult>[] = [];
      for (const prompt of prompts) {
        const r = streamed(run(engine, prompt), 2);
        runs.push(r.done);
        await r.atN;
      }
      expectAlone(await Promise.all(runs), prompts);
      const after = engine.batchStats();
      expect((after.rowSteps - before.rowSteps) / (after.decodeSteps - before.decodeSteps)).toBeGreaterThan(
        1.5,
      );
      expect(after.stalls.joins).toBeGreaterThan(before.stalls.joins);
    });

    it('gives the same tokens when all arrive at once (prefilled together without padding, decoded together)', async () => {
      const before = engine.batchStats();
      const results = await Promise.all(prompts.map((p) => collect(run(engine, p)).then((r) => r.result)));
      expectAlone(results, prompts);
      const after = engine.batchStats();
      // Together, in staircase passes (no padding): fewer units than prompts.
      expect(after.prefilledRows - before.prefilledRows).toBe(prompts.length);
      expect(after.prefillGroups - before.prefillGroups).toBeLessThan(prompts.length);
    });

    it('gives the same tokens to prompts that share a long prefix (the prefix computed once, each suffix alone)', async () => {
      const before = engine.batchStats();
      const results = await Promise.all(shared.map((p) => collect(run(engine, p)).then((r) => r.result)));
      expectAlone(results, shared);
      const after = engine.batchStats();
      expect(after.sharedPrefixTokens - before.sharedPrefixTokens).toBeGreaterThanOrEqual(
        (shared.length - 1) * 32,
      );
    });

    it('leaves the other rows exact when some are cancelled mid-batch (their states compacted away)', async () => {
      const controllers = prompts.map(() => new AbortController());
      const runs = prompts.map((p, i) => streamed(run(engine, p, controllers[i]?.signal), 3));
      await Promise.all(
        runs.map(async (r, i) => {
          await r.atN;
          if (i % 2 === 1) controllers[i]?.abort();
        }),
      );
      const results = await Promise.all(runs.map((r) => r.done));
      for (const [i, prompt] of prompts.entries()) {
        const reference = alone.get(prompt);
        if (i % 2 === 0) expect(results[i]?.tokenIds, prompt).toEqual(reference?.tokenIds);
        else expect(reference?.text.startsWith(results[i]?.text ?? '?')).toBe(true);
      }
    });
  });
}
