import { afterEach, describe, expect, it } from 'vitest';
import { userMessageFor } from '../../../src/bot/pipeline/error-boundary.js';
import { EngineError } from '../../../src/inference/errors.js';
import { PoolEngine } from '../../../src/inference/pool/pool-engine.js';
import { type GenerateRequest, RESTART_CHUNK } from '../../../src/inference/types.js';
import { failureFor } from '../../../src/server/openai-api/errors.js';
import { collect, sleep } from '../batching/support.js';
import { type FakeWorker, startFakeWorker } from './fake-worker.js';

const started: FakeWorker[] = [];
const pools: PoolEngine[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await Promise.all(started.splice(0).map((w) => w.close()));
});

async function workers(...behaviors: Parameters<typeof startFakeWorker>[0][]) {
  const list = await Promise.all(behaviors.map(startFakeWorker));
  started.push(...list);
  return list;
}

async function pool(list: FakeWorker[], waitForWorkerMs = 0) {
  const engine = await PoolEngine.open({
    urls: list.map((w) => w.url),
    timeoutMs: 5_000,
    contextLength: 4096,
    healthIntervalMs: 50,
    waitForWorkerMs,
  });
  pools.push(engine);
  return engine;
}

const ask = (extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('PoolEngine', () => {
  it('waits (ENGINE_WAIT_MS) for a worker to come back when none is healthy, then answers', async () => {
    const [worker] = (await workers({ kind: 'answer', text: 'back again' })) as [FakeWorker];
    worker.healthy = false;
    const engine = await pool([worker], 5_000);
    const asked = collect(engine.generate(ask()));
    await sleep(300);
    expect(worker.chats).toBe(0);
    worker.healthy = true;
    expect((await asked).result.text).toBe('back again');
    // Without the wait, the same moment fails at once as unreachable (retryable).
    worker.healthy = false;
    const impatient = await pool([worker]);
    const error = await collect(impatient.generate(ask())).catch((e: unknown) => e);
    expect((error as EngineError).code).toBe('unreachable');
  });

  it('sees when every healthy worker says its model does, and then sends them the images', async () => {
    const list = await workers({ kind: 'answer', text: 'a cat' }, { kind: 'answer', text: 'a cat' });
    const [first, second] = list as [FakeWorker, FakeWorker];
    first.vision = true;
    const engine = await pool(list);
    // One of two sees: the pool does not (a picture could land on the one that does not).
    expect(engine.info().vision).toBeUndefined();
    second.vision = true;
    await sleep(200);
    expect(engine.info().vision).toBe(true);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const request = ask({
      messages: [{ role: 'user', content: 'what is it?', images: [{ data: png, mimeType: 'image/png' }] }],
    });
    expect((await collect(engine.generate(request))).result.text).toBe('a cat');
    const body = (first.chats > 0 ? first : second).lastBody as {
      messages: { content: { type: string; image_url?: { url: string } }[] }[];
    };
    const parts = body.messages.at(-1)?.content ?? [];
    expect(parts.map((p) => p.type)).toEqual(['image_url', 'text']);
    expect(parts[0]?.image_url?.url).toBe(`data:image/png;base64,${Buffer.from(png).toString('base64')}`);
    // A worker down leaves the ones up deciding.
    first.healthy = false;
    second.vision = false;
    await sleep(200);
    expect(engine.info().vision).toBeUndefined();
  });

  it('restarts an answer cut midway on another worker: RESTART_CHUNK, then the whole new answer', async () => {
    const [dying, healthy] = await workers(
      { kind: 'die-midway', text: 'one two three four', words: 2 },
      { kind: 'answer', text: 'alpha beta gamma' },
    );
    const engine = await pool([dying as FakeWorker, healthy as FakeWorker]);
    // A new pool's first request goes to its first worker (equal load, first in turn).
    const { chunks, result } = await collect(engine.generate(ask({ restartable: true })));
    expect((dying as FakeWorker).chats).toBe(1);
    expect(chunks.slice(0, 2)).toEqual(['one', ' two']);
    expect(chunks[2]).toBe(RESTART_CHUNK);
    expect(chunks.slice(3).join('')).toBe('alpha beta gamma');
    expect(result.text).toBe('alpha beta gamma');
  });

  it('fails a cut answer as restarted (retryable) for a caller that cannot rewrite', async () => {
    const [dying, healthy] = await workers(
      { kind: 'die-midway', text: 'one two three four', words: 2 },
      { kind: 'answer', text: 'alpha' },
    );
    (healthy as FakeWorker).healthy = false;
    const engine = await pool([dying as FakeWorker, healthy as FakeWorker]);
    const error = await collect(engine.generate(ask())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('restarted');
    expect((error as EngineError).retryable).toBe(true);
    expect(failureFor(error).status).toBe(503);
  });

  it('sends nothing to a worker failing its health check, and takes it back when it recovers', async () => {
    const [a, b] = await workers({ kind: 'answer', text: 'from a' }, { kind: 'answer', text: 'from b' });
    (a as FakeWorker).healthy = false;
    const engine = await pool([a as FakeWorker, b as FakeWorker]);
    for (let i = 0; i < 4; i++) expect((await engine.generate(ask()).result).text).toBe('from b');
    expect((a as FakeWorker).chats).toBe(0);
    (a as FakeWorker).healthy = true;
    for (let i = 0; i < 100 && !(await engine.status()).ready; i++) await sleep(10);
    for (let i = 0; i < 100 && !(await engine.status()).detail.startsWith('2 of 2'); i++) await sleep(10);
    const texts = await Promise.all(
      [1, 2, 3, 4].map(() => engine.generate(ask()).result.then((r) => r.text)),
    );
    expect(texts).toContain('from a');
    expect(texts).toContain('from b');
  });

  it('says busy with the workers’ retry-after when every worker is full', async () => {
    const list = await workers({ kind: 'full', retryAfterS: 7 }, { kind: 'full', retryAfterS: 7 });
    const engine = await pool(list);
    const error = await engine.generate(ask()).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('busy');
    expect((error as EngineError).retryAfterMs).toBe(7_000);
    expect(list.map((w) => w.chats)).toEqual([1, 1]);
    expect(userMessageFor(error, 'beef')).toBe(
      "I'm busy with other chats right now. Please try again in about 7 s. (error beef)",
    );
    const failure = failureFor(error);
    expect(failure.status).toBe(429);
    expect(failure.retryAfterS).toBe(7);
  });
});
