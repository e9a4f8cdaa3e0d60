import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { slackLogger } from '../../../../src/bot/adapters/slack/slack-logger.js';
import { webClientOptions } from '../../../../src/bot/adapters/slack/web-client.js';
import { captureLogger } from '../../../helpers/capture-logger.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-slack.js';
import { type Harness, startHarness } from './harness.js';
import { appMention, dmMessage, envelope, nextTs } from './payloads.js';

const engine = useFakeEngine();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ANSWER = 'A fairly long answer, streamed in small pieces so that there is something to edit.';

async function harness() {
  engine.fake.setBehavior({ reply: ANSWER, chunkSize: 8, delayMs: 30 });
  h = await startHarness({ engine: engine.engine });
  return h;
}

const errorLines = (hh: Harness) => hh.bot.log.lines.filter((l) => l.msg === 'message handling failed');

describe('Slack Web API failures', () => {
  it('waits out a 429 on chat.postMessage and posts exactly once', async () => {
    const hh = await harness();
    hh.fake.rateLimit('chat.postMessage', 1);
    await hh.sendEvent(envelope(dmMessage({ text: 'hello' })));
    await waitFor(() => hh.fake.messages.find((m) => m.text === ANSWER), 'the full answer', 8_000);
    const attempts = hh.fake.callsTo('chat.postMessage');
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(hh.fake.messages.filter((m) => m.kind === 'post')).toHaveLength(1);
  });

  it('never retries a chat.postMessage that failed with a 5xx (it may have been posted)', async () => {
    const hh = await harness();
    hh.fake.httpError('chat.postMessage', 503);
    await hh.sendEvent(envelope(dmMessage({ text: 'hello' })));
    const notice = await waitFor(
      () => hh.fake.messages.find((m) => m.kind === 'ephemeral'),
      'the error notice',
    );
    expect(notice.text).toMatch(/^Sorry, something went wrong on my side\. .* \(error [0-9a-f]{8}\)$/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hh.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(String((errorLines(hh)[0]?.err as { message?: string })?.message)).toMatch(
      /^Slack chat\.postMessage failed: http_503\b/,
    );
  });

  it("logs Slack's error code with a hint (not_in_channel, missing_scope)", async () => {
    const hh = await harness();
    hh.fake.fail('chat.postMessage', 'not_in_channel');
    await hh.sendEvent(envelope(dmMessage({ text: 'hello' })));
    const line = await waitFor(() => errorLines(hh)[0], 'the error log');
    expect((line.err as { message: string }).message).toContain(
      'Slack chat.postMessage failed: not_in_channel — the bot is not a member of this channel; invite it with /invite',
    );
    expect(hh.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('falls back to post-and-edit with the full text when chat.startStream fails', async () => {
    const hh = await harness();
    hh.fake.fail('chat.startStream', 'team_not_allowed');
    const ts = nextTs();
    await hh.sendEvent(envelope(appMention({ text: '<@UBOT> hi', ts })));
    const answer = await waitFor(
      () => hh.fake.messages.find((m) => m.threadTs === ts && m.text === ANSWER),
      'the fallback answer',
    );
    expect(answer.kind).toBe('post');
    expect(hh.fake.callsTo('chat.startStream')).toHaveLength(1);
    expect(hh.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(hh.fake.callsTo('chat.postMessage')[0]?.args.thread_ts).toBe(ts);
    expect(hh.fake.messages.filter((m) => m.kind !== 'ephemeral')).toHaveLength(1);
    expect(hh.log.lines.find((l) => l.msg?.toString().startsWith('Slack streaming failed'))).toBeDefined();
  });

  it('continues in a new message when chat.appendStream fails midway, losing and repeating nothing', async () => {
    const hh = await harness();
    hh.fake.fail('chat.appendStream', 'internal_error', 1);
    const ts = nextTs();
    await hh.sendEvent(envelope(appMention({ text: '<@UBOT> hi', ts })));
    const rest = await waitFor(
      () => hh.fake.messages.find((m) => m.kind === 'post'),
      'the continuation',
      8_000,
    );
    await waitFor(() => ANSWER.endsWith(rest.text) && rest.text, 'the continuation to finish');
    const streamed = hh.fake.messages.find((m) => m.kind === 'stream');
    expect(streamed?.streaming).toBe(false);
    expect(`${streamed?.text}${rest.text}`).toBe(ANSWER);
  });
});

describe('the Web API client settings', () => {
  const client = (fetchFn: typeof fetch) =>
    new webApi.WebClient('xoxb-t', {
      ...webClientOptions({ apiUrl: 'http://127.0.0.1:9/api/', logger: slackLogger(captureLogger().logger) }),
      fetch: fetchFn,
    });

  it('does not retry a network failure', async () => {
    let attempts = 0;
    const failing = (async () => {
      attempts += 1;
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(client(failing).chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toBeInstanceOf(
      webApi.WebAPIRequestError,
    );
    expect(attempts).toBe(1);
  });

  it('retries a 429 after its Retry-After, and only a 429', async () => {
    const answers = [
      new Response('{"ok":false,"error":"ratelimited"}', { status: 429, headers: { 'retry-after': '0' } }),
      new Response('{"ok":true,"ts":"1.2"}', { status: 200 }),
    ];
    let attempts = 0;
    const scripted = (async () => answers[attempts++] ?? new Response('', { status: 500 })) as typeof fetch;
    await expect(client(scripted).chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({
      ts: '1.2',
    });
    expect(attempts).toBe(2);

    let failures = 0;
    const broken = (async () => {
      failures += 1;
      return new Response('oops', { status: 502 });
    }) as typeof fetch;
    await expect(client(broken).chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toBeInstanceOf(
      webApi.WebAPIHTTPError,
    );
    expect(failures).toBe(1);
  });
});
