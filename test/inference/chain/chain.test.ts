import { describe, expect, it } from 'vitest';
import { ChainEngine, type ChainOptions } from '../../../src/inference/chain/engine.js';
import { backoffMs } from '../../../src/inference/chain/policy.js';
import { EngineError } from '../../../src/inference/errors.js';
import {
  badRequest,
  busy,
  collectText,
  ScriptedEngine,
  timeout,
  upstream,
} from '../../helpers/scripted-engine.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0 };

function chain(engines: ScriptedEngine[], extra: Partial<ChainOptions> = {}) {
  const states: string[] = [];
  const engine = new ChainEngine({
    backends: engines.map((e) => ({ name: e.name, engine: e })),
    retry: { baseMs: 1, maxMs: 4 },
    onBreakerState: (backend, state) => states.push(`${backend}:${state}`),
    ...extra,
  });
  return { engine, states };
}

describe('ChainEngine (graded fallback policy)', () => {
  it('answers from the first backend when it works, never touching the next', async () => {
    const local = new ScriptedEngine('local', [{ chunks: ['Hel', 'lo'] }]);
    const remote = new ScriptedEngine('remote', [{ chunks: ['no'] }]);
    const { engine } = chain([local, remote]);
    const { text, result } = await collectText(engine.generate(ask));
    expect(text).toBe('Hello');
    expect(result).toMatchObject({ text: 'Hello', finishReason: 'stop', model: 'local-model' });
    expect([local.calls, remote.calls]).toEqual([1, 0]);
    expect(engine.info()).toMatchObject({ name: 'chain(local,remote)', model: 'local-model' });
  });

  it('retries a timeout 3 times on the same backend, then falls through to the next', async () => {
    const local = new ScriptedEngine('local', [{ chunks: [], error: timeout() }]);
    const remote = new ScriptedEngine('remote', [{ chunks: ['from remote'] }]);
    const { engine } = chain([local, remote]);
    const { text } = await collectText(engine.generate(ask));
    expect(text).toBe('from remote');
    expect(local.calls).toBe(4); // 1 try + 3 retries
    expect(remote.calls).toBe(1);
  });

  it('answers a request that keeps timing out from the cache when it has one, before the next backend', async () => {
    const local = new ScriptedEngine('local', [{ chunks: [], error: timeout() }]);
    const remote = new ScriptedEngine('remote', [{ chunks: ['from remote'] }]);
    const asked: string[] = [];
    const { engine } = chain([local, remote], {
      cachedAnswer: async (model) => {
        asked.push(model);
        return {
          text: 'cached',
          usage: { promptTokens: 1, completionTokens: 1 },
          finishReason: 'stop',
          model,
        };
      },
    });
    const { text, result } = await collectText(engine.generate(ask));
    expect(text).toBe('cached');
    expect(result).toMatchObject({ text: 'cached', cached: true });
    expect(local.calls).toBe(4);
    expect(remote.calls).toBe(0);
    expect(asked).toEqual(['local-model']);
  });

  it('retries an upstream failure 5 times with backoff, then the next backend', async () => {
    const remote = new ScriptedEngine('remote', [{ chunks: [], error: upstream() }]);
    const local = new ScriptedEngine('local', [{ chunks: ['local answer'] }]);
    const { engine } = chain([remote, local], { breaker: { threshold: 100 } });
    const started = performance.now();
    const { text } = await collectText(engine.generate(ask));
    expect(text).toBe('local answer');
    expect(remote.calls).toBe(6); // 1 try + 5 retries
    expect(local.calls).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1 + 1 + 2 + 2 + 2 - 5); // backoff happened
  });

  it('recovers on the same backend when a retry succeeds', async () => {
    const remote = new ScriptedEngine('remote', [
      { chunks: [], error: upstream() },
      { chunks: ['second try'] },
    ]);
    const local = new ScriptedEngine('local', [{ chunks: ['local'] }]);
    const { engine } = chain([remote, local]);
    expect((await collectText(engine.generate(ask))).text).toBe('second try');
    expect([remote.calls, local.calls]).toEqual([2, 0]);
  });

  it('never retries nor passes on a bad request (400)', async () => {
    const remote = new ScriptedEngine('remote', [{ chunks: [], error: badRequest() }]);
    const local = new ScriptedEngine('local', [{ chunks: ['local'] }]);
    const { engine } = chain([remote, local]);
    const generation = engine.generate(ask);
    await expect(collectText(generation)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(generation.result).rejects.toBeInstanceOf(EngineError);
    expect([remote.calls, local.calls]).toEqual([1, 0]);
  });

  it('passes a busy backend straight to the next one, and reports busy when it is the last', async () => {
    const local = new ScriptedEngine('local', [{ chunks: [], error: busy() }]);
    const remote = new ScriptedEngine('remote', [{ chunks: ['remote'] }]);
    expect((await collectText(chain([local, remote]).engine.generate(ask))).text).toBe('remote');
    expect(local.calls).toBe(1);

    const alone = new ScriptedEngine('local', [{ chunks: [], error: busy(4000) }]);
    await expect(collectText(chain([alone]).engine.generate(ask))).rejects.toMatchObject({
      code: 'busy',
      retryAfterMs: 4000,
    });
    expect(alone.calls).toBe(1);
  });

  it('never retries once text reached the caller: it fails instead of duplicating', async () => {
    const remote = new ScriptedEngine('remote', [{ chunks: ['partial '], error: upstream() }]);
    const local = new ScriptedEngine('local', [{ chunks: ['local'] }]);
    const { engine } = chain([remote, local]);
    const chunks: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of engine.generate(ask)) chunks.push(chunk);
      })(),
    ).rejects.toMatchObject({ code: 'upstream' });
    expect(chunks).toEqual(['partial ']);
    expect([remote.calls, local.calls]).toEqual([1, 0]);
  });

  it('throws the last error when every backend fails', async () => {
    const a = new ScriptedEngine('remote', [{ chunks: [], error: upstream() }]);
    const b = new ScriptedEngine('local', [{ chunks: [], error: timeout() }]);
    const { engine } = chain([a, b], { retry: { baseMs: 1, upstream: 1, timeouts: 1 } });
    await expect(collectText(engine.generate(ask))).rejects.toMatchObject({ code: 'timeout' });
    expect([a.calls, b.calls]).toEqual([2, 2]);
  });

  it('opens a backend’s breaker after consecutive failures, skips it, then half-opens and closes again', async () => {
    const remote = new ScriptedEngine('remote', [
      { chunks: [], error: upstream() },
      { chunks: [], error: upstream() },
      { chunks: ['remote is back'] },
    ]);
    const local = new ScriptedEngine('local', [{ chunks: ['local'] }]);
    const { engine, states } = chain([remote, local], {
      retry: { baseMs: 1, upstream: 1 },
      breaker: { threshold: 2, halfOpenAfterMs: 150 },
    });
    expect((await collectText(engine.generate(ask))).text).toBe('local');
    expect(states).toContain('remote:open');
    expect(remote.calls).toBe(2);

    // Open: the remote is not even called.
    expect((await collectText(engine.generate(ask))).text).toBe('local');
    expect(remote.calls).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await collectText(engine.generate(ask))).text).toBe('remote is back');
    expect(remote.calls).toBe(3);
    expect(states.slice(-2)).toEqual(['remote:half_open', 'remote:closed']);
  });

  it('does not count bad requests against the breaker', async () => {
    const remote = new ScriptedEngine('remote', [{ chunks: [], error: badRequest() }]);
    const { engine, states } = chain([remote], { breaker: { threshold: 1 } });
    for (let i = 0; i < 3; i++) await expect(collectText(engine.generate(ask))).rejects.toThrow(/400/);
    expect(remote.calls).toBe(3);
    expect(states).toEqual(['remote:closed']);
  });

  it('says every backend is failing when all breakers are open', async () => {
    const remote = new ScriptedEngine('remote', [{ chunks: [], error: upstream() }]);
    const { engine } = chain([remote], { retry: { baseMs: 1, upstream: 0 }, breaker: { threshold: 1 } });
    await expect(collectText(engine.generate(ask))).rejects.toMatchObject({ code: 'upstream' });
    await expect(collectText(engine.generate(ask))).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(/circuit breakers are open/),
    });
    expect(remote.calls).toBe(1);
  });

  it('cancels the backend when the caller aborts, without retrying', async () => {
    const remote = new ScriptedEngine('remote', [{ chunks: ['a', 'b', 'c', 'd'], delayMs: 30 }]);
    const local = new ScriptedEngine('local', [{ chunks: ['local'] }]);
    const { engine } = chain([remote, local]);
    const controller = new AbortController();
    const generation = engine.generate(ask, controller.signal);
    setTimeout(() => controller.abort(), 45);
    const result = await generation.result;
    expect(result.finishReason).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(remote.aborted).toBe(1);
    expect(local.calls).toBe(0);
  });

  it('reports ready when any backend is, and closes every backend', async () => {
    const a = new ScriptedEngine('remote', [{}]);
    const b = new ScriptedEngine('local', [{}]);
    const { engine } = chain([a, b]);
    expect(await engine.status()).toEqual({
      ready: true,
      detail: 'remote: remote is scripted; local: local is scripted',
    });
    await engine.close();
    expect([a.closed, b.closed]).toEqual([true, true]);
  });
});

describe('backoffMs', () => {
  it('doubles per attempt up to the cap, with jitter in the upper half', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 100, 1000, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([1, 2, 3].map((n) => backoffMs(n, 100, 1000, () => 0))).toEqual([50, 100, 200]);
  });
});
