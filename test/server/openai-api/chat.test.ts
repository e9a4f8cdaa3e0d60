import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/inference/errors.js';
import { UnconfiguredEngine } from '../../../src/inference/unconfigured.js';
import { useFakeEngine } from '../../helpers/fake-engine.js';
import { busy, ScriptedEngine } from '../../helpers/scripted-engine.js';
import { apiServer, KEYS } from './support.js';

const fake = useFakeEngine();
const messages = [{ role: 'user' as const, content: 'hello there' }];

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(error)}`);
  return error;
}

describe('POST /v1/chat/completions with the official openai client', () => {
  it('answers a non-streamed completion in OpenAI’s shape, with usage', async () => {
    const server = await apiServer(fake.engine);
    const completion = await server.client().chat.completions.create({
      model: 'fake-model',
      messages,
      temperature: 0,
      max_tokens: 20,
      top_p: 0.9,
      stop: ['\n\n'],
      seed: 7,
      user: 'U42',
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe('fake-model');
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Echo: hello there' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
    // The parameters reached the engine (here: the upstream's request body).
    const upstream = fake.fake.requests.at(-1)?.body as Record<string, unknown>;
    expect(upstream).toMatchObject({
      temperature: 0,
      max_tokens: 20,
      top_p: 0.9,
      stop: ['\n\n'],
      seed: 7,
      user: 'U42',
    });
  });

  it('streams over SSE: role first, content deltas, a finish reason, usage when asked, then [DONE]', async () => {
    const server = await apiServer(fake.engine);
    const stream = await server.client().chat.completions.create({
      model: 'fake-model',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Echo: hello there');
    expect(chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '').length).toBeGreaterThan(1);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);

    const raw = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS[1]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages, stream: true }),
    });
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await raw.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body).not.toContain('"usage"');
  });

  it('refuses a missing or wrong key with 401 and counts the rejection', async () => {
    const server = await apiServer(fake.engine);
    const wrong = await rejection(server.client('sk-nope').chat.completions.create({ model: 'm', messages }));
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong.code).toBe('invalid_api_key');
    const none = await fetch(`${server.url}/v1/models`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: {
        message: expect.stringMatching(/Bearer/),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    expect(await server.scrape()).toContain('teambot_api_rejections_total{reason="unauthorized"} 2');
  });

  it('refuses invalid bodies with 400 naming the parameter', async () => {
    const server = await apiServer(fake.engine);
    const client = server.client();
    const empty = await rejection(client.chat.completions.create({ model: 'm', messages: [] }));
    expect(empty.status).toBe(400);
    expect(empty.param).toBe('messages');
    const hot = await rejection(client.chat.completions.create({ model: 'm', messages, temperature: 5 }));
    expect([hot.status, hot.param, hot.type]).toEqual([400, 'temperature', 'invalid_request_error']);
    const tool = await rejection(
      client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'tool', content: 'x', tool_call_id: '1' }],
      }),
    );
    expect(tool.param).toBe('messages.0.role');
    expect(await server.scrape()).toContain('teambot_api_rejections_total{reason="invalid_request"} 3');
  });

  it('answers a malformed JSON body with 400 in OpenAI’s shape', async () => {
    const server = await apiServer(fake.engine);
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS[0]}`, 'content-type': 'application/json' },
      body: '{"messages": [',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_body',
      },
    });
    // Outside /v1 the server's own error shape stays.
    const health = await fetch(`${server.url}/elsewhere`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(((await health.json()) as { error: { id?: string } }).error.id).toBeDefined();
  });

  it('answers a busy engine with 429 and Retry-After, streaming or not', async () => {
    const server = await apiServer(new ScriptedEngine('local', [{ chunks: [], error: busy(2500) }]));
    for (const stream of [false, true]) {
      const error = await rejection(
        (async () => {
          const answer = await server.client().chat.completions.create({ model: 'm', messages, stream });
          if (stream)
            for await (const _ of answer as AsyncIterable<unknown>) {
            }
        })(),
      );
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error.headers?.get('retry-after')).toBe('3');
      expect(error.code).toBe('engine_busy');
    }
    expect(await server.scrape()).toContain('teambot_api_rejections_total{reason="busy"} 2');
  });

  it('answers 503 when no engine is configured', async () => {
    const server = await apiServer(new UnconfiguredEngine());
    const error = await rejection(server.client().chat.completions.create({ model: 'm', messages }));
    expect(error.status).toBe(503);
    expect(error.code).toBe('not_configured');
    expect(error.message).toMatch(/MODEL/);
  });

  it('answers a failure after the stream started with an error event, never a duplicate answer', async () => {
    const engine = new ScriptedEngine('local', [
      { chunks: ['partial'], error: new EngineError('upstream', 'broke mid-answer') },
    ]);
    const server = await apiServer(engine);
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages, stream: true }),
    });
    expect(res.status).toBe(200);
    const events = (await res.text()).split('\n\n').filter((e) => e !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(events.at(-2)?.slice(6) ?? '{}')).toMatchObject({
      error: { message: 'broke mid-answer', code: 'upstream' },
    });
    expect(events.join('')).toContain('"content":"partial"');
  });

  it('aborts the generation when the client disconnects mid-stream', async () => {
    fake.fake.setBehavior({ reply: 'a long answer that takes a while to stream', chunkSize: 2, delayMs: 40 });
    try {
      const server = await apiServer(fake.engine);
      const controller = new AbortController();
      const stream = await server
        .client()
        .chat.completions.create({ model: 'm', messages, stream: true }, { signal: controller.signal });
      let seen = 0;
      try {
        for await (const _ of stream) if (++seen === 3) controller.abort();
      } catch {
        // the client may report its own abort as an error
      }
      expect(seen).toBe(3);
      const upstream = fake.fake.requests.at(-1);
      expect(await upstream?.closed).toBe('aborted');
    } finally {
      fake.fake.setBehavior({});
    }
  });
});

describe('per-key limits and disconnects', () => {
  it('runs the key limiter after authentication, with the key’s id in res.locals', async () => {
    const seen: string[] = [];
    const server = await apiServer(fake.engine, {
      keyLimiter: (_req, res, next) => {
        const { id } = res.locals.apiKey as { id: string };
        seen.push(id);
        if (seen.filter((k) => k === id).length > 1) {
          res.setHeader('retry-after', '60');
          res
            .status(429)
            .json({ error: { message: 'key limit', type: 'rate_limit_error', param: null, code: null } });
          return;
        }
        next();
      },
    });
    await rejection(server.client('sk-wrong').models.list());
    expect(seen).toEqual([]); // refused before the limiter
    await server.client().models.list();
    const limited = await rejection(server.client().models.list());
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    await server.client(KEYS[1]).models.list(); // another key has its own budget
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).not.toBe(seen[0]);
    expect(seen.join()).not.toContain('sk-test');
  });

  it('aborts a non-streamed generation when the client leaves before the answer', async () => {
    fake.fake.setBehavior({ reply: 'slow slow slow slow slow', chunkSize: 1, delayMs: 30 });
    try {
      const server = await apiServer(fake.engine);
      const controller = new AbortController();
      const answer = fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS[0]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messages }),
        signal: controller.signal,
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      controller.abort();
      await expect(answer).rejects.toThrow();
      expect(await fake.fake.requests.at(-1)?.closed).toBe('aborted');
    } finally {
      fake.fake.setBehavior({});
    }
  });
});

describe('GET /v1/models and the API switch', () => {
  it('lists the engine’s model', async () => {
    const server = await apiServer(fake.engine);
    const models = await server.client().models.list();
    expect(models.data).toEqual([
      { id: 'fake-model', object: 'model', created: expect.any(Number), owned_by: 'teambot' },
    ]);
    const one = await server.client().models.retrieve('fake-model');
    expect(one.id).toBe('fake-model');
    const missing = await rejection(server.client().models.retrieve('gpt-9'));
    expect(missing.status).toBe(404);
  });

  it('turns every /v1 route off with a clear 503 when API_KEYS is empty', async () => {
    const server = await apiServer(fake.engine, { keys: [] });
    const error = await rejection(server.client('anything').models.list());
    expect(error.status).toBe(503);
    expect(error.code).toBe('api_disabled');
    expect(error.message).toMatch(/set API_KEYS/);
    expect(await server.scrape()).toContain('teambot_api_rejections_total{reason="api_disabled"} 1');
  });
});
