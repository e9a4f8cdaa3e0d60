import { describe, expect, it } from 'vitest';
import { createGeneration, failedGeneration, type GenerationBody } from '../../src/inference/generation.js';
import type { GenerateResult } from '../../src/inference/types.js';

const cancelled = (text: string): GenerateResult => ({
  text,
  finishReason: 'cancelled',
  usage: { promptTokens: 0, completionTokens: 0 },
  model: 'test',
});

const done = (text: string): GenerateResult => ({ ...cancelled(text), finishReason: 'stop' });

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function chunks(parts: string[], delayMs = 0): GenerationBody {
  return async function* () {
    for (const part of parts) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      yield part;
    }
    return done(parts.join(''));
  };
}

/** A body that yields forever until aborted, and records what happened to it. */
function endless(log: { aborted?: boolean; cleanedUp?: boolean }): GenerationBody {
  return async function* (signal) {
    signal.addEventListener('abort', () => {
      log.aborted = true;
    });
    try {
      for (let i = 0; ; i++) {
        await tick();
        yield `${i} `;
      }
    } finally {
      log.cleanedUp = true;
    }
  };
}

describe('createGeneration', () => {
  it('yields the chunks and resolves result with the final value', async () => {
    const generation = createGeneration(chunks(['a', 'b', 'c'], 1), { cancelled });
    const seen: string[] = [];
    for await (const chunk of generation) seen.push(chunk);
    expect(seen).toEqual(['a', 'b', 'c']);
    await expect(generation.result).resolves.toEqual(done('abc'));
  });

  it('settles result even when nobody iterates', async () => {
    const generation = createGeneration(chunks(['x', 'y']), { cancelled });
    await expect(generation.result).resolves.toMatchObject({ text: 'xy', finishReason: 'stop' });
  });

  it('rejects result with the same error the iteration throws, after the chunks before it', async () => {
    const boom = new Error('boom');
    const generation = createGeneration(
      async function* () {
        yield 'partial';
        throw boom;
      },
      { cancelled },
    );
    const seen: string[] = [];
    await expect(async () => {
      for await (const chunk of generation) seen.push(chunk);
    }).rejects.toBe(boom);
    expect(seen).toEqual(['partial']);
    await expect(generation.result).rejects.toBe(boom);
  });

  it('never turns an unawaited failed result into an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      createGeneration(
        async function* () {
          yield* [];
          throw new Error('nobody listens');
        },
        { cancelled },
      );
      failedGeneration(new Error('nobody listens either'));
      await tick();
      await tick();
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([]);
  });

  it('refuses to be iterated twice', async () => {
    const generation = createGeneration(chunks(['a']), { cancelled });
    for await (const _ of generation) {
      // drain
    }
    expect(() => generation[Symbol.asyncIterator]()).toThrow(/only once/);
    const failed = failedGeneration(new Error('x'));
    failed[Symbol.asyncIterator]();
    expect(() => failed[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it('cancels the work when the consumer breaks early, and result says cancelled', async () => {
    const log: { aborted?: boolean; cleanedUp?: boolean } = {};
    const generation = createGeneration(endless(log), { cancelled });
    let seen = '';
    for await (const chunk of generation) {
      seen += chunk;
      if (seen.length >= 4) break;
    }
    const result = await generation.result;
    expect(result.finishReason).toBe('cancelled');
    expect(result.text.startsWith(seen)).toBe(true);
    expect(log.aborted).toBe(true);
    await tick();
    await tick();
    expect(log.cleanedUp).toBe(true);
  });

  it("ends (without an error) when the caller's signal aborts mid-way", async () => {
    const log: { aborted?: boolean } = {};
    const controller = new AbortController();
    const generation = createGeneration(endless(log), { signal: controller.signal, cancelled });
    const seen: string[] = [];
    for await (const chunk of generation) {
      seen.push(chunk);
      if (seen.length === 2) controller.abort();
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    await expect(generation.result).resolves.toMatchObject({ finishReason: 'cancelled' });
    expect(log.aborted).toBe(true);
  });

  it('does not start the work when the signal is already aborted', async () => {
    let started = false;
    const generation = createGeneration(
      async function* () {
        started = true;
        yield 'never';
        return done('never');
      },
      { signal: AbortSignal.abort(), cancelled },
    );
    const seen: string[] = [];
    for await (const chunk of generation) seen.push(chunk);
    expect(seen).toEqual([]);
    await expect(generation.result).resolves.toEqual(cancelled(''));
    expect(started).toBe(false);
  });

  it('treats an error thrown because of the abort as cancellation, not failure', async () => {
    const controller = new AbortController();
    const generation = createGeneration(
      async function* (signal) {
        yield 'a';
        await new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
        return done('a');
      },
      { signal: controller.signal, cancelled },
    );
    await tick();
    controller.abort();
    await expect(generation.result).resolves.toEqual(cancelled('a'));
  });
});
