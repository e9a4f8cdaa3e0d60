import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_SETTINGS } from '../../src/config/schema.js';
import { messageEvent } from '../bot/adapters/lark/payloads.js';
import { appMention, envelope, slashCommand } from '../bot/adapters/slack/payloads.js';
import { type CliProcess, runCli } from '../helpers/cli-process.js';
import { type FakeLark, startFakeLark, waitFor } from '../helpers/fake-lark.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { encryptAndSign } from '../helpers/lark-crypto.js';
import { redisUrlForTests } from '../helpers/redis.js';
import { signForm, signJson } from '../helpers/slack-signing.js';

/** Every secret setting (and the secret variables SDKs read) set to a value that is easy to find. */
const MARKERS = {
  OPENAI_API_KEY: 'MARKER-openai-key-51c7',
  ENGINE_API_KEY: 'MARKER-engine-key-3e8a',
  OTEL_EXPORTER_OTLP_HEADERS: 'x-otel-key=MARKER-otel-headers-7c1d',
  SLACK_BOT_TOKEN: 'MARKER-slack-bot-token-8e2d',
  SLACK_SIGNING_SECRET: 'MARKER-slack-signing-0a9f',
  SLACK_APP_TOKEN: 'MARKER-slack-app-token-77b1',
  LARK_APP_SECRET: 'MARKER-lark-app-secret-c3e4',
  LARK_ENCRYPT_KEY: 'MARKER-lark-encrypt-5d6a',
  LARK_VERIFICATION_TOKEN: 'MARKER-lark-verify-9b0c',
  URL_SIGNING_SECRET: 'MARKER-url-signing-2f3e',
  API_KEYS: 'MARKER-api-key-6a7b',
  REDIS_PASSWORD: 'MARKER-redis-pass-1d2e',
  HF_TOKEN: 'MARKER-hf-token-4c5d',
  AWS_SECRET_ACCESS_KEY: 'MARKER-aws-secret-8f9a',
  AWS_SESSION_TOKEN: 'MARKER-aws-session-0b1c',
};

let slack: FakeSlack;
let lark: FakeLark;
let openai: FakeOpenAI;
const processes: CliProcess[] = [];

beforeAll(async () => {
  [slack, lark, openai] = await Promise.all([
    startFakeSlack({ token: MARKERS.SLACK_BOT_TOKEN, appToken: MARKERS.SLACK_APP_TOKEN }),
    startFakeLark({ appSecret: MARKERS.LARK_APP_SECRET }),
    startFakeOpenAI({ apiKey: MARKERS.OPENAI_API_KEY, behavior: { reply: 'fine' } }),
  ]);
});
afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all([slack.close(), lark.close(), openai.close()]);
});

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

/** The environment of a server with every secret set: Slack over HTTP, Lark webhooks, the API. */
function secretEnv(): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    SLACK_BOT_TOKEN: MARKERS.SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET: MARKERS.SLACK_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    LARK_APP_ID: lark.appId,
    LARK_APP_SECRET: MARKERS.LARK_APP_SECRET,
    LARK_MODE: 'webhook',
    LARK_ENCRYPT_KEY: MARKERS.LARK_ENCRYPT_KEY,
    LARK_VERIFICATION_TOKEN: MARKERS.LARK_VERIFICATION_TOKEN,
    LARK_DOMAIN: lark.url,
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: MARKERS.OPENAI_API_KEY,
    OPENAI_MODEL: 'fake-model',
    ENGINE_API_KEY: MARKERS.ENGINE_API_KEY,
    OTEL_EXPORTER_OTLP_HEADERS: MARKERS.OTEL_EXPORTER_OTLP_HEADERS,
    ENGINE_RETRY_BASE_MS: '1',
    API_KEYS: MARKERS.API_KEYS,
    URL_SIGNING_SECRET: MARKERS.URL_SIGNING_SECRET,
    // The test Redis has no password: ioredis is told one, warns, and goes on.
    REDIS_URL: withPassword(redisUrlForTests(), MARKERS.REDIS_PASSWORD),
    // Answer at once (no burst window): the script below breaks the backend right after the first mention.
    TURN_BURST_WINDOW_MS: '0',
    HF_TOKEN: MARKERS.HF_TOKEN,
    AWS_SECRET_ACCESS_KEY: MARKERS.AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN: MARKERS.AWS_SESSION_TOKEN,
  };
}

function start(args: string[], env: Record<string, string>): CliProcess {
  const cli = runCli(args, env);
  processes.push(cli);
  return cli;
}

async function listening(serve: CliProcess): Promise<string> {
  const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/, 30_000);
  return (JSON.parse(line) as { url: string }).url;
}

/** Requests down every path: answered, refused, failing with stack traces, logged. */
async function driveEveryPath(url: string): Promise<void> {
  const post = (path: string, init: { body: string; headers: Record<string, string> }) =>
    fetch(`${url}${path}`, { method: 'POST', ...init }).then((r) => r.text());
  const api = (path: string, key: string, body: unknown) =>
    post(path, {
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
  const ask = { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] };

  await post(
    '/slack/events',
    signJson(MARKERS.SLACK_SIGNING_SECRET, envelope(appMention({ text: '<@UBOT> hello' }))),
  );
  await post('/slack/events', signJson('wrong-secret', envelope(appMention({ text: 'forged' }))));
  await post('/slack/events', signJson(MARKERS.SLACK_SIGNING_SECRET, { hello: 'unroutable' }));
  await post(
    '/slack/events',
    signForm(MARKERS.SLACK_SIGNING_SECRET, slashCommand(slack, '/teambot', 'help', 'cmd1')),
  );
  const event = messageEvent({ text: 'hello' });
  event.header.token = MARKERS.LARK_VERIFICATION_TOKEN;
  await post('/lark/events', encryptAndSign(MARKERS.LARK_ENCRYPT_KEY, event));
  await post('/lark/events', encryptAndSign('wrong-key', event));
  await api('/v1/chat/completions', MARKERS.API_KEYS, ask);
  await api('/v1/chat/completions', 'wrong-key-123456', ask);
  await api('/v1/tasks', MARKERS.API_KEYS, ask);
  await fetch(`${url}/files/media/none?expires=1&sig=x`).then((r) => r.text());
  await fetch(`${url}/ready`).then((r) => r.text());
  // The backend fails (logged with stack traces), then Slack's API does.
  openai.setBehavior({ error: { status: 500, message: 'backend exploded' } });
  await api('/v1/chat/completions', MARKERS.API_KEYS, ask);
  await post(
    '/slack/events',
    signJson(MARKERS.SLACK_SIGNING_SECRET, envelope(appMention({ text: '<@UBOT> fail please' }))),
  );
  slack.fail('chat.postMessage', 'internal_error');
  slack.fail('chat.startStream', 'internal_error');
  await post(
    '/slack/events',
    signJson(MARKERS.SLACK_SIGNING_SECRET, envelope(appMention({ text: '<@UBOT> again' }))),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_500));
}

function leaks(output: string): string[] {
  return Object.entries(MARKERS)
    .filter(([, value]) => output.includes(value) || output.includes(encodeURIComponent(value)))
    .map(([name]) => name);
}

describe('no secret in any log (child processes, every secret set to a marker)', () => {
  it('covers every secret setting', () => {
    for (const name of SECRET_SETTINGS) expect(Object.keys(MARKERS)).toContain(name);
  });

  it('serve, driven down every path at debug level, errors and stack traces included, prints none', {
    timeout: 60_000,
  }, async () => {
    const serve = start(['serve'], secretEnv());
    const url = await listening(serve);
    await driveEveryPath(url);
    await waitFor(
      () => slack.callsTo('chat.postMessage').length + slack.callsTo('chat.startStream').length > 0,
      'a Slack answer',
    );
    serve.child.kill('SIGTERM');
    await serve.exited;
    const output = serve.stdout() + serve.stderr();
    expect(output).toMatch(/"level":50/); // errors were logged, stacks and all
    expect(output).toContain('"stack"');
    expect(output).toContain('rejected a Slack request'); // and request logs
    expect(output).toContain('rejected a Lark request');
    expect(leaks(output)).toEqual([]);
  });

  it('Socket Mode failing to connect (the fake has no socket) prints none', { timeout: 30_000 }, async () => {
    const serve = start(['serve'], { ...secretEnv(), SLACK_APP_TOKEN: MARKERS.SLACK_APP_TOKEN });
    await listening(serve);
    await serve.waitForStdout(/Failed to retrieve a new WSS URL/, 15_000);
    expect(slack.callsTo('apps.connections.open').length).toBeGreaterThan(0);
    serve.child.kill('SIGTERM');
    await serve.exited;
    expect(leaks(serve.stdout() + serve.stderr())).toEqual([]);
  });

  it('a refused configuration and a failed model pull print none', { timeout: 30_000 }, async () => {
    const bad = start(['serve'], { ...secretEnv(), PORT: 'not-a-port', API_RATE_LIMIT: 'lots' });
    expect(await bad.exited).toBe(78);
    const pull = start(['model', 'pull', 'someone/private-model'], secretEnv());
    expect(await pull.exited).not.toBe(0);
    for (const cli of [bad, pull]) expect(leaks(cli.stdout() + cli.stderr())).toEqual([]);
    expect(bad.stderr() + bad.stdout()).toMatch(/PORT/);
  });
});
