import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleEngine, type OpenAICompatibleOptions } from '../../src/inference/openai/engine.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { drain, hello } from './support.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

const engine = (options: Partial<OpenAICompatibleOptions> = {}) =>
  new OpenAICompatibleEngine({
    baseUrl: fake.url,
    model: 'm1',
    timeoutMs: 5000,
    contextLength: 4096,
    ...options,
  });

const chatRequests = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');

describe('OpenAICompatibleEngine streaming', () => {
  it('streams chunks as they arrive and joins them into the result', async () => {
    fake.setBehavior({ delayMs: 30, chunkSize: 3 });
    const generation = engine().generate(hello);
    let settled = false;
    void generation.result.then(() => {
      settled = true;
    });
    const chunks: string[] = [];
    for await (const chunk of generation) {
      if (chunks.length === 0) expect(settled).toBe(false);
      chunks.push(chunk);
    }
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe('Echo: hello world');
    const result = await generation.result;
    expect(result).toMatchObject({ text: 'Echo: hello world', finishReason: 'stop', model: 'm1' });
  });

  it('sends the request fields, the Bearer key and no unset options', async () => {
    const request = {
      messages: [
        { role: 'system' as const, content: 'be brief' },
        { role: 'user' as const, content: 'hi' },
      ],
      maxTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      stop: ['\n\n'],
      seed: 7,
      user: 'slack:T1:U1',
    };
    await engine({ apiKey: 'sk-test' }).generate(request).result;
    const [sent] = chatRequests();
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.body).toEqual({
      model: 'm1',
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['\n\n'],
      seed: 7,
      user: 'slack:T1:U1',
    });
  });

  it('leaves out unset fields and the Authorization header without a key; sends top_k only when set', async () => {
    const e = engine({ baseUrl: `${fake.url}/` });
    await e.generate(hello).result;
    await e.generate({ ...hello, topK: 40 }).result;
    const [plain, withTopK] = chatRequests();
    expect(plain?.headers.authorization).toBeUndefined();
    expect(plain?.body).toEqual({
      model: 'm1',
      messages: hello.messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(withTopK?.body).toMatchObject({ top_k: 40 });
  });

  it('turns user:password in the base URL into Basic auth (fetch refuses such URLs)', async () => {
    const baseUrl = fake.url.replace('http://', 'http://bot:s3cret@');
    await engine({ baseUrl }).generate(hello).result;
    const expected = `Basic ${Buffer.from('bot:s3cret').toString('base64')}`;
    expect(chatRequests()[0]?.headers.authorization).toBe(expected);
  });

  it("takes usage from the stream's usage chunk", async () => {
    fake.setBehavior({ reply: 'abcdefghij', chunkSize: 2 });
    const result = await engine().generate(hello).result;
    expect(result.usage).toEqual({ promptTokens: 6, completionTokens: 5 });
  });

  it('estimates usage when the server sends none', async () => {
    fake.setBehavior({ reply: 'a'.repeat(35), usage: false });
    const e = engine();
    const result = await e.generate(hello).result;
    expect(result.usage).toEqual({ promptTokens: e.countTokens(hello.messages), completionTokens: 10 });
  });

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['content_filter', 'stop'],
    ['tool_calls', 'stop'],
  ])('maps finish_reason %s to %s', async (upstream, ours) => {
    fake.setBehavior({ finishReason: upstream });
    expect((await engine().generate(hello).result).finishReason).toBe(ours);
  });

  it('is cancelled by the caller mid-stream: no error, and the server sees the connection close', async () => {
    fake.setBehavior({ reply: 'x'.repeat(200), chunkSize: 2, delayMs: 20 });
    const controller = new AbortController();
    const generation = engine().generate(hello, controller.signal);
    const chunks: string[] = [];
    for await (const chunk of generation) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }
    const result = await generation.result;
    expect(result.finishReason).toBe('cancelled');
    expect(result.text.length).toBeLessThan(200);
    expect(await chatRequests()[0]?.closed).toBe('aborted');
  });

  it('aborts the request when the consumer stops iterating early', async () => {
    fake.setBehavior({ reply: 'y'.repeat(200), chunkSize: 2, delayMs: 20 });
    const generation = engine().generate(hello);
    for await (const _ of generation) break;
    expect((await generation.result).finishReason).toBe('cancelled');
    expect(await chatRequests()[0]?.closed).toBe('aborted');
  });

  it('accepts a server that ignores stream:true and answers with one JSON completion', async () => {
    const body = { model: 'm1', choices: [{ message: { content: 'whole' }, finish_reason: 'length' }] };
    const fetchJson: typeof fetch = async () =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    const { chunks } = await drain(engine({ fetch: fetchJson }).generate(hello));
    expect(chunks).toEqual(['whole']);
  });

  it('ends at stream end even without [DONE]', async () => {
    const sse =
      'data: {"choices":[{"delta":{"content":"no"}}]}\n\ndata: {"choices":[{"delta":{"content":" done"}}]}\n\n';
    const fetchSse: typeof fetch = async () =>
      new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
    const result = await engine({ fetch: fetchSse }).generate(hello).result;
    expect(result).toMatchObject({ text: 'no done', finishReason: 'stop' });
  });
});
