import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChainEngine } from '../../../src/inference/chain/engine.js';
import { OpenAICompatibleEngine } from '../../../src/inference/openai/engine.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../helpers/fake-openai.js';
import { collectText, ScriptedEngine } from '../../helpers/scripted-engine.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.setBehavior({});
  fake.requests.length = 0;
});

const ask = { messages: [{ role: 'user' as const, content: 'ping' }], temperature: 0 };

function remoteThenLocal(timeoutMs = 5_000) {
  const remote = new OpenAICompatibleEngine({
    baseUrl: fake.url,
    model: 'fake-model',
    timeoutMs,
    contextLength: 4096,
  });
  const local = new ScriptedEngine('local', [{ chunks: ['local ', 'answer'] }]);
  const engine = new ChainEngine({
    backends: [
      { name: 'remote', engine: remote },
      { name: 'local', engine: local },
    ],
    retry: { baseMs: 1, maxMs: 5 },
    breaker: { threshold: 100 },
  });
  return { engine, local };
}

const chatRequests = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');

describe('ChainEngine over the remote OpenAI-compatible engine (the local fake server)', () => {
  it('streams the remote answer when the upstream is healthy', async () => {
    const { engine, local } = remoteThenLocal();
    expect((await collectText(engine.generate(ask))).text).toBe('Echo: ping');
    expect(local.calls).toBe(0);
  });

  it('retries a 503 five times, then answers from the local backend', async () => {
    fake.setBehavior({ error: { status: 503, message: 'overloaded' } });
    const { engine, local } = remoteThenLocal();
    expect((await collectText(engine.generate(ask))).text).toBe('local answer');
    expect(chatRequests()).toHaveLength(6);
    expect(local.calls).toBe(1);
  });

  it('retries a timeout three times, then falls through', async () => {
    fake.setBehavior({ hang: true });
    const { engine, local } = remoteThenLocal(1_000);
    expect((await collectText(engine.generate(ask))).text).toBe('local answer');
    expect(chatRequests()).toHaveLength(4);
    expect(local.calls).toBe(1);
  }, 15_000);

  it('passes the upstream’s 400 to the caller without retrying or falling through', async () => {
    fake.setBehavior({ error: { status: 400, message: 'max_tokens is too large' } });
    const { engine, local } = remoteThenLocal();
    await expect(collectText(engine.generate(ask))).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/max_tokens is too large/),
    });
    expect(chatRequests()).toHaveLength(1);
    expect(local.calls).toBe(0);
  });

  it('fails rather than duplicating when the upstream breaks mid-answer', async () => {
    fake.setBehavior({ reply: 'twelve chars', malformedAfterChunks: 1 });
    const { engine, local } = remoteThenLocal();
    const chunks: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of engine.generate(ask)) chunks.push(chunk);
      })(),
    ).rejects.toBeDefined();
    expect(chunks).toEqual(['twel']);
    expect(chatRequests()).toHaveLength(1);
    expect(local.calls).toBe(0);
  });
});
