import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

const metricValue = (text: string, series: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
};

describe('teambot serve with the OpenAI-compatible API, the response cache and a fallback chain', () => {
  it('answers /v1 with the openai client, replays deterministic answers from the cache, and exports breaker state', async () => {
    const serve = runCli(['serve'], {
      PORT: '0',
      HOST: '127.0.0.1',
      API_KEYS: 'sk-e2e-1, sk-e2e-2',
      OPENAI_BASE_URL: fake.url,
      OPENAI_MODEL: 'fake-model',
      ENGINE_CHAIN: 'remote',
      ENGINE_RETRY_BASE_MS: '1',
      ENGINE_BREAKER_THRESHOLD: '2',
    });
    try {
      const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/, 30_000);
      const { url } = JSON.parse(line) as { url: string };
      const client = new OpenAI({ apiKey: 'sk-e2e-2', baseURL: `${url}/v1`, maxRetries: 0 });
      const ask = {
        model: 'fake-model',
        messages: [{ role: 'user' as const, content: 'cache me' }],
        temperature: 0,
      };

      const first = await client.chat.completions.create(ask);
      const second = await client.chat.completions.create(ask);
      expect(first.choices[0]?.message.content).toBe('Echo: cache me');
      expect(second.choices[0]?.message.content).toBe('Echo: cache me');
      const chats = fake.requests.filter((r) => r.path === '/v1/chat/completions');
      expect(chats).toHaveLength(1);

      let text = await (await fetch(`${url}/metrics`)).text();
      expect(metricValue(text, 'teambot_response_cache_total{result="hit"}')).toBe(1);
      expect(metricValue(text, 'teambot_response_cache_total{result="miss"}')).toBe(1);
      expect(metricValue(text, 'teambot_backend_breaker_state{backend="remote"}')).toBe(0);
      // Tokens count what was generated: the replayed answer adds nothing.
      expect(metricValue(text, 'teambot_generated_tokens_total{engine="chain(remote)"}')).toBe(
        first.usage?.completion_tokens,
      );
      expect(metricValue(text, 'teambot_time_to_first_token_seconds_count{engine="chain(remote)"}')).toBe(2);
      expect(text).toMatch(
        /^teambot_inter_token_latency_seconds_bucket\{le="0.001",engine="chain\(remote\)"\} \d+$/m,
      );

      fake.setBehavior({ error: { status: 500, message: 'upstream exploded' } });
      const failed = await client.chat.completions
        .create({ ...ask, temperature: 0.5 })
        .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
      expect(failed).toBeInstanceOf(OpenAI.APIError);
      expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      text = await (await fetch(`${url}/metrics`)).text();
      expect(metricValue(text, 'teambot_backend_breaker_state{backend="remote"}')).toBe(2);
      // Two failures opened the breaker; the retries after that never reached the upstream.
      expect(fake.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(3);

      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toEqual(['fake-model']);
      const unauthorized = await new OpenAI({ apiKey: 'wrong', baseURL: `${url}/v1`, maxRetries: 0 }).models
        .list()
        .catch((e: unknown) => e);
      expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
      text = await (await fetch(`${url}/metrics`)).text();
      expect(metricValue(text, 'teambot_api_rejections_total{reason="unauthorized"}')).toBe(1);
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    } finally {
      fake.setBehavior({});
      serve.child.kill('SIGKILL');
    }
  }, 60_000);
});
