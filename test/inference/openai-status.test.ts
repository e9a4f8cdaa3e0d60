import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/inference/errors.js';
import { OpenAICompatibleEngine, type OpenAICompatibleOptions } from '../../src/inference/openai/engine.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { closedPort, hello } from './support.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ models: ['first-model', 'second-model'] });
});
afterEach(async () => {
  await fake.close();
});

const engine = (options: Partial<OpenAICompatibleOptions> = {}) =>
  new OpenAICompatibleEngine({ baseUrl: fake.url, timeoutMs: 5000, contextLength: 4096, ...options });

const paths = () => fake.requests.map((r) => `${r.method} ${r.path}`);

describe('OpenAICompatibleEngine status and model', () => {
  it('reports info with the configured model and context length', () => {
    expect(engine({ model: 'm1' }).info()).toEqual({ name: 'openai', model: 'm1', contextLength: 4096 });
  });

  it('is ready when GET /models answers', async () => {
    const status = await engine({ model: 'second-model', apiKey: 'k' }).status();
    expect(status.ready).toBe(true);
    expect(status.detail).toContain('second-model');
    expect(status.detail).toContain(fake.url);
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer k');
  });

  it('is ready but says so when the configured model is not listed', async () => {
    const status = await engine({ model: 'other' }).status();
    expect(status).toMatchObject({ ready: true });
    expect(status.detail).toMatch(/does not list model other.*first-model/);
  });

  it('is not ready (and does not throw) when the server is down or refuses the key', async () => {
    const down = await engine({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, model: 'm' }).status();
    expect(down.ready).toBe(false);
    expect(down.detail).toMatch(/Could not reach/);
    fake.setBehavior({ error: { status: 401, message: 'bad key' } });
    const refused = await engine({ model: 'm' }).status();
    expect(refused.ready).toBe(false);
    expect(refused.detail).toContain('bad key');
  });

  it('is not ready when /models hangs past the short status timeout', async () => {
    const neverAnswers: typeof fetch = (_input, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const status = await engine({ model: 'm', statusTimeoutMs: 100, fetch: neverAnswers }).status();
    expect(status.ready).toBe(false);
    expect(status.detail).toMatch(/within 100 ms/);
  });

  it('uses the first listed model when none is configured, and looks it up only once', async () => {
    const e = engine();
    expect(e.info().model).toBe('auto');
    const first = await e.generate(hello).result;
    await e.generate(hello).result;
    expect(first.model).toBe('first-model');
    expect(e.info().model).toBe('first-model');
    expect(paths()).toEqual(['GET /v1/models', 'POST /v1/chat/completions', 'POST /v1/chat/completions']);
    expect(fake.requests[1]?.body).toMatchObject({ model: 'first-model' });
  });

  it('fails with not_configured, naming OPENAI_MODEL, when no model is configured or listed', async () => {
    fake.setBehavior({ models: [] });
    const e = engine();
    const error = await e.generate(hello).result.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: 'not_configured' });
    expect((error as EngineError).message).toContain('OPENAI_MODEL');
    expect((await e.status()).ready).toBe(false);
    // Not cached: once the server lists a model, it is used.
    fake.setBehavior({ models: ['late-model'] });
    expect((await e.generate(hello).result).model).toBe('late-model');
  });

  it('counts tokens as an estimate', () => {
    const e = engine({ model: 'm' });
    expect(e.countTokens([])).toBe(0);
    expect(e.countTokens(hello.messages)).toBeGreaterThan(3);
  });
});
