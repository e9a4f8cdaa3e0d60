import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { redisUrlForTests, usePrefixes } from '../helpers/redis.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

async function startServe(env: Record<string, string>) {
  const serve = runCli(['serve'], { PORT: '0', HOST: '127.0.0.1', ...env });
  const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/);
  const { url } = JSON.parse(line) as { url: string };
  return { serve, url };
}

describe('teambot serve (a child process)', () => {
  const prefix = usePrefixes();

  it('serves /health, /ready and Prometheus /metrics, and shuts down gracefully on SIGTERM', async () => {
    const { serve, url } = await startServe({
      OPENAI_BASE_URL: fake.url,
      OPENAI_MODEL: 'fake-model',
      REDIS_URL: redisUrlForTests(),
      KV_PREFIX: prefix(),
    });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${url}/ready`);
    const report = (await ready.json()) as {
      ready: boolean;
      checks: Record<string, { ok: boolean; detail: string }>;
    };
    expect(ready.status).toBe(200);
    expect(report.ready).toBe(true);
    expect(Object.keys(report.checks).sort()).toEqual(['engine', 'kv', 'objects']);
    expect(report.checks.kv).toMatchObject({ ok: true, detail: 'redis' });

    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toMatch(/^# HELP process_cpu_user_seconds_total/m);
    expect(text).toMatch(/^teambot_http_request_duration_seconds_bucket\{.*route="\/health".*\} \d+/m);
    expect(text).toMatch(/^teambot_info\{version="\d+\.\d+\.\d+"\} 1$/m);

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    const steps = serve
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(steps).toEqual(expect.arrayContaining(['replies drained']));
  });

  it('starts offline on the demo model and with no Redis, reporting both in /ready and /metrics', async () => {
    const { serve, url } = await startServe({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    const report = (await ready.json()) as { checks: Record<string, { ok: boolean; detail: string }> };
    expect(report.checks.kv?.ok).toBe(false);
    expect(report.checks.kv?.detail).toContain('127.0.0.1:1');
    expect(report.checks.engine?.ok).toBe(true);
    expect(report.checks.engine?.detail).toMatch(/built-in demo model: answers are meaningless/);
    expect(report.checks.objects?.ok).toBe(true);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /teambot_inference_device_info\{model="teambot-demo",device="cpu",dtype="fp32",reason="[^"]*webgpu[^"]*"\} 1/,
    );
    expect(serve.stdout()).toContain('could not be pulled');
    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
  });

  it('exits with a clear message when the port is taken', async () => {
    const first = await startServe({});
    const port = new URL(first.url).port;
    const second = runCli(['serve'], { PORT: port, HOST: '127.0.0.1' });
    expect(await second.exited).toBe(1);
    expect(second.stdout()).toContain(`cannot listen on 127.0.0.1:${port}`);
    first.serve.child.kill('SIGTERM');
    expect(await first.serve.exited).toBe(0);
  });
});
