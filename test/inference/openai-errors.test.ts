import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/inference/errors.js';
import { OpenAICompatibleEngine, type OpenAICompatibleOptions } from '../../src/inference/openai/engine.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { closedPort, drain, hello } from './support.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

const KEY = 'sk-very-secret-key';
const engine = (options: Partial<OpenAICompatibleOptions> = {}) =>
  new OpenAICompatibleEngine({
    baseUrl: fake.url,
    apiKey: KEY,
    model: 'm1',
    timeoutMs: 5000,
    contextLength: 4096,
    ...options,
  });

/** The EngineError a generation fails with; checks iteration and `result` fail alike. */
async function failure(options: Partial<OpenAICompatibleOptions> = {}): Promise<EngineError> {
  const generation = engine(options).generate(hello);
  const { error } = await drain(generation);
  await expect(generation.result).rejects.toBe(error);
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('OpenAICompatibleEngine errors', () => {
  it('times out waiting for response headers', async () => {
    fake.setBehavior({ hang: true });
    const started = Date.now();
    const error = await failure({ timeoutMs: 200 });
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out when the stream goes quiet between chunks', async () => {
    fake.setBehavior({ stallAfterChunks: 2, delayMs: 1 });
    const generation = engine({ timeoutMs: 250 }).generate(hello);
    const { chunks, error } = await drain(generation);
    expect(chunks.join('')).toBe('Echo: he');
    expect((error as EngineError).code).toBe('timeout');
    expect((error as EngineError).message).toMatch(/mid-answer/);
  });

  it('keeps a slow but steady stream alive (the timeout is per chunk, not total)', async () => {
    fake.setBehavior({ delayMs: 60, chunkSize: 2 });
    const result = await engine({ timeoutMs: 200 }).generate(hello).result;
    expect(result.text).toBe('Echo: hello world');
  });

  it('reports a refused connection as unreachable, naming the URL but never the key', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    const error = await failure({ baseUrl });
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain(baseUrl);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(KEY);
    expect(error.retryable).toBe(true);
  });

  it('never shows credentials embedded in the base URL', async () => {
    const port = await closedPort();
    const error = await failure({ apiKey: undefined, baseUrl: `http://user:pa55word@127.0.0.1:${port}/v1/` });
    expect(error.message).toContain(`http://127.0.0.1:${port}/v1`);
    expect(error.message).not.toContain('pa55word');
  });

  it('maps 400 to bad_request with the upstream message', async () => {
    fake.setBehavior({
      error: { status: 400, message: "This model's maximum context length is 4096 tokens" },
    });
    const error = await failure();
    expect(error).toMatchObject({ code: 'bad_request', status: 400 });
    expect(error.message).toContain("This model's maximum context length is 4096 tokens");
    expect(error.retryable).toBe(false);
  });

  it.each([
    [404, 'bad_request'],
    [422, 'bad_request'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [429, 'rate_limited'],
    [500, 'upstream'],
    [503, 'upstream'],
  ] as const)('maps HTTP %i to %s', async (status, code) => {
    fake.setBehavior({ error: { status, message: `upstream says ${status}` } });
    const error = await failure();
    expect(error).toMatchObject({ code, status });
    expect(error.message).toContain(`upstream says ${status}`);
  });

  it('reports a wrong key as unauthorized without repeating the key, even if upstream echoes it', async () => {
    fake.setBehavior({ error: { status: 401, message: `Incorrect API key provided: ${KEY}` } });
    const error = await failure();
    expect(error.code).toBe('unauthorized');
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain('OPENAI_API_KEY');
  });

  it('reports a malformed stream chunk as protocol', async () => {
    fake.setBehavior({ malformedAfterChunks: 1 });
    const { chunks, error } = await drain(engine().generate(hello));
    expect(chunks).toEqual(['Echo']);
    expect((error as EngineError).code).toBe('protocol');
  });

  it('reports an error sent inside the stream as upstream', async () => {
    const sse =
      'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {"error":{"message":"engine died"}}\n\n';
    const fetchSse: typeof fetch = async () =>
      new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
    const error = await failure({ fetch: fetchSse });
    expect(error.code).toBe('upstream');
    expect(error.message).toContain('engine died');
  });

  it('reports a connection that breaks mid-answer as upstream', async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: {"choices":[{"delta":{"content":"a"}}]}\n\n'));
        controller.error(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      },
    });
    const fetchBroken: typeof fetch = async () =>
      new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const error = await failure({ fetch: fetchBroken });
    expect(error.code).toBe('upstream');
    expect(error.message).toContain('ECONNRESET');
  });
});
