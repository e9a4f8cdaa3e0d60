/**
 * Pictures in the continuous batch: rows with images, with video keyframes and with text only decode
 * in the same steps, each giving the greedy tokens it gets alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoArch } from '../../../src/inference/demo/index.js';
import { collect, openBatched, streamed } from '../batching/support.js';
import { generatedModelDir } from '../hybrid/models.js';
import { asked, keyframes, picture } from './support.js';

const ARCHS: DemoArch[] = ['qwen3_5', 'qwen2_5_vl'];

describe.each(ARCHS)('%s: rows with and without pictures in one batch', (arch) => {
  let dir: string;
  beforeAll(async () => {
    dir = await generatedModelDir(arch);
  });

  it('gives every row, batched, the greedy tokens it gets alone', async () => {
    const png = (w: number, h: number, seed: number) =>
      picture(w, h, seed).then((data) => [{ data, mimeType: 'image/png' }]);
    // A long answer about a picture, running while the others (text, picture, video) join it.
    const long = asked('What is in this picture?', await png(130, 90, 1), 160);
    const others = [
      asked('Summarize the build log, please.'),
      asked('Describe it.', await png(64, 200, 2)),
      asked('What happens in this video?', await keyframes(3, 64, 1000)),
      asked('Who moved the meeting to Thursday?'),
    ];
    const engine = await openBatched(dir);
    try {
      const alone = [];
      for (const request of [long, ...others]) alone.push((await collect(engine.generate(request))).result);
      const running = streamed(engine.generate(long), 1);
      await running.atN;
      const joined = await Promise.all(others.map(async (r) => (await collect(engine.generate(r))).result));
      const together = [await running.done, ...joined];
      for (const [i, result] of together.entries()) {
        expect(result.tokenIds?.length).toBeGreaterThan(0);
        expect(result.tokenIds).toEqual(alone[i]?.tokenIds);
        expect(result.promptTokenIds).toEqual(alone[i]?.promptTokenIds);
        // Each shared decode steps with rows of other kinds.
        expect(result.timings?.batchRowsMax).toBeGreaterThanOrEqual(2);
      }
      expect(together[0]?.tokenIds?.length).toBe(160);
      expect(together[0]?.timings?.batchRowsMax).toBeGreaterThanOrEqual(3);
    } finally {
      await engine.close();
    }
  });

  it('answers from the picture: another picture of the same size gives other tokens', async () => {
    const engine = await openBatched(dir);
    try {
      const answer = async (seed: number) => {
        const data = await picture(96, 96, seed);
        return (await collect(engine.generate(asked('What is this?', [{ data, mimeType: 'image/png' }], 16))))
          .result;
      };
      const [a, b] = [await answer(1), await answer(7)];
      expect(a.promptTokenIds).toEqual(b.promptTokenIds);
      expect(a.tokenIds).not.toEqual(b.tokenIds);
    } finally {
      await engine.close();
    }
  });

  it('with the prefix cache on, a picture never reuses another picture’s KV (same ids, other pixels)', async () => {
    const plain = await openBatched(dir);
    const cached = await openBatched(dir, {}, undefined, undefined, 64 * 1024 * 1024);
    try {
      // A long question, so that its picture's tokens fill whole cache blocks.
      const question = `What is this? ${'Describe every part of it in detail. '.repeat(12)}`;
      const ask = async (engine: typeof plain, seed: number) => {
        const data = await picture(96, 96, seed);
        return (await collect(engine.generate(asked(question, [{ data, mimeType: 'image/png' }], 16))))
          .result;
      };
      const firstCached = await ask(cached, 1);
      const secondCached = await ask(cached, 7);
      expect(secondCached.promptTokenIds).toEqual(firstCached.promptTokenIds);
      expect(firstCached.tokenIds).toEqual((await ask(plain, 1)).tokenIds);
      expect(secondCached.tokenIds).toEqual((await ask(plain, 7)).tokenIds);
      // Text rows still use the cache beside them.
      const text = asked(`${question} No picture this time.`);
      await collect(cached.generate(text));
      await collect(cached.generate(text));
      expect(cached.batchStats().prefixCache?.reusedTokens ?? 0).toBeGreaterThan(0);
    } finally {
      await plain.close();
      await cached.close();
    }
  });
});
