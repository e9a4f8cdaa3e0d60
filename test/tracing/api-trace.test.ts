import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TracedEngine } from '../../src/inference/observe/traced-engine.js';
import { ScriptedEngine } from '../helpers/scripted-engine.js';
import { type CapturedTracing, captureTracing } from '../helpers/tracing.js';
import { apiServer, KEYS } from '../server/openai-api/support.js';

let tracing: CapturedTracing;

// On before the app is built: the HTTP app installs its span middleware only then.
beforeAll(() => {
  tracing = captureTracing();
});
afterAll(async () => {
  await tracing?.close();
});

/** A /v1 server over a traced scripted engine (closed after each test by the fixture). */
const tracedApi = () =>
  apiServer(new TracedEngine(new ScriptedEngine('scripted', [{ chunks: ['Hi', ' there'] }])));

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('an API request traced (in-memory exporter)', () => {
  it("continues the caller's traceparent: server span, then engine.generate under it; x-trace-id says which", async () => {
    const server = await tracedApi();
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEYS[0]}`,
        'content-type': 'application/json',
        traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
      },
      body: JSON.stringify({ model: 'any', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-trace-id')).toBe(CALLER_TRACE);
    await response.json();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const [http] = tracing.named('POST /v1/chat/completions');
    expect(http?.spanContext().traceId).toBe(CALLER_TRACE);
    expect(http?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(http?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/chat/completions',
      'http.response.status_code': 200,
    });
    const [engine] = tracing.named('engine.generate');
    expect(engine?.spanContext().traceId).toBe(CALLER_TRACE);
    expect(engine?.parentSpanContext?.spanId).toBe(http?.spanContext().spanId);
    expect(engine?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  });

  it('leaves probes and scrapes untraced, and starts a new trace for a request without traceparent', async () => {
    const server = await tracedApi();
    const before = tracing.spans().length;
    await (await fetch(`${server.url}/health`)).text();
    await (await fetch(`${server.url}/metrics`)).text();
    expect(tracing.spans().length).toBe(before);
    const models = await fetch(`${server.url}/v1/models`, {
      headers: { authorization: `Bearer ${KEYS[0]}` },
    });
    await models.text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [span] = tracing.named('GET /v1/models');
    expect(span?.parentSpanContext).toBeUndefined();
    expect(models.headers.get('x-trace-id')).toBe(span?.spanContext().traceId);
  });
});
