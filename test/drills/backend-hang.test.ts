import { afterEach, describe, expect, it } from 'vitest';
import { DRILL_ANSWER, type DrillServer, startDrillServer, until } from './serve.js';

let server: DrillServer | undefined;
afterEach(async () => {
  await server?.close();
});

const REMOTE = new RegExp(DRILL_ANSWER);
/** Anything but the remote's answer: the local demo model's (meaningless) text. */
const LOCAL = /^(?!.*drill answer)[\s\S]+$/;

async function breakerState(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const line = text.split('\n').find((l) => l.startsWith('teambot_backend_breaker_state{backend="remote"}'));
  return Number(line?.split(' ').at(-1));
}

async function timed(server: DrillServer, channel: string, pattern: RegExp): Promise<number> {
  const started = Date.now();
  expect(await server.dm(channel, `question in ${channel}`)).toBe(200);
  await server.answered(channel, pattern, 60_000);
  return Date.now() - started;
}

describe('drill: the remote backend hangs under a running server (real processes)', () => {
  it('times out, falls back to the local engine, opens the breaker, and goes back when the remote answers', {
    timeout: 150_000,
  }, async () => {
    server = await startDrillServer({
      ENGINE_CHAIN: 'remote,local',
      MODEL: 'demo',
      INFERENCE_DEVICE: 'cpu',
      INFERENCE_TIMEOUT_MS: '1000',
      ENGINE_RETRY_BASE_MS: '1',
      ENGINE_BREAKER_THRESHOLD: '2',
      ENGINE_BREAKER_HALF_OPEN_MS: '4000',
      MAX_NEW_TOKENS: '16',
    });
    await timed(server, 'DOK', REMOTE);
    expect(await breakerState(server.url)).toBe(0);

    server.openai.setBehavior({ hang: true });
    const firstFallbackMs = await timed(server, 'DHANG1', LOCAL);
    await timed(server, 'DHANG2', LOCAL);
    await until(
      async () => (await breakerState(server?.url ?? '')) === 2,
      'the remote breaker to open',
      10_000,
    );
    const asked = server.openai.requests.length;
    const openFallbackMs = await timed(server, 'DHANG3', LOCAL);
    expect(server.openai.requests.length).toBe(asked); // an open breaker sends nothing to the remote
    expect(openFallbackMs).toBeLessThan(firstFallbackMs + 1_000);

    server.openai.setBehavior({ reply: DRILL_ANSWER });
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    await timed(server, 'DBACK', REMOTE);
    expect(await breakerState(server.url)).toBe(0);
    expect(server.serve.stdout()).not.toMatch(/unhandled promise rejection|uncaught exception/);
  });
});
