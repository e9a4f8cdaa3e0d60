import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startRedisServer } from '../../bench/limits/redis-server.js';
import { appMention, envelope, nextTs } from '../bot/adapters/slack/payloads.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { type FakeSlack, startFakeSlack, waitFor } from '../helpers/fake-slack.js';
import { deliver, type Gateway, startGateway, stopAll } from '../helpers/gateways.js';
import { signJson } from '../helpers/slack-signing.js';

const SECRET = 'turns-signing-secret';
/** The fake model's answer: long enough (about 0.4 s streamed) that a kill lands mid-answer. */
export const answerTo = (question: string) => `Answer to ${question}: ${'lorem ipsum '.repeat(8).trim()}.`;

let redis: OwnRedis;
let slack: FakeSlack;
let openai: FakeOpenAI;
const gateways: Gateway[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  slack = await startFakeSlack();
  openai = await startFakeOpenAI({ behavior: { reply: answerTo, chunkSize: 4, delayMs: 15 } });
});
afterAll(async () => {
  await stopAll(gateways);
  await slack?.close();
  await openai?.close();
  await redis?.stop();
});

function gatewayEnv(): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: 'fake-model',
    REDIS_URL: redis.url,
    TURN_LOCK_MS: '2000',
    TURN_BURST_WINDOW_MS: '300',
    // No such file: the built-in roles, without per-user limits (200 questions from one user).
    PERMISSIONS_FILE: '/nonexistent/permissions.json',
  };
}

/** The bot's visible messages in a thread (ephemeral notices excluded). */
function repliesIn(thread: string) {
  return slack.messages.filter((m) => m.threadTs === thread && m.kind !== 'ephemeral');
}

describe('durable turns on two gateways sharing Redis (Slack)', () => {
  it('answers 200 events exactly once, a fifth delivered to both, with one replica SIGKILLed mid-answer', async () => {
    const [a, b] = await Promise.all([startGateway('a', gatewayEnv()), startGateway('b', gatewayEnv())]);
    gateways.push(a, b);
    const threads: string[] = [];
    const send = async (i: number, targets: Gateway[]) => {
      const ts = nextTs();
      threads[i] = ts;
      const event = envelope(
        appMention({ text: `<@${slack.botUserId}> q${i}`, ts, channel: 'C1' }),
        `EvTurn${i}x${ts}`,
      );
      const statuses = await Promise.all(
        targets.map((g) => deliver(g, '/slack/events', signJson(SECRET, event))),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
    };
    // 120 events over both replicas (every fifth to both), then B dies while answering its share.
    for (let i = 0; i < 120; i += 1) await send(i, i % 5 === 0 ? [a, b] : [i % 2 === 0 ? a : b]);
    // Let B's accepted events reach the queue (acked events are queued within milliseconds).
    await sleep(300);
    await b.kill();
    for (let i = 120; i < 200; i += 1) await send(i, [a]);

    await waitFor(
      () =>
        threads.every((thread, i) =>
          repliesIn(thread).some((m) => m.text === answerTo(`q${i}`) && !m.streaming),
        ),
      'every thread answered',
      45_000,
    ).catch((error: unknown) => {
      const missing = threads
        .map((thread, i) => ({
          i,
          replies: repliesIn(thread).map((m) => `${m.kind}/${m.streaming}:${m.text}`),
        }))
        .filter(({ i, replies }) => replies.length !== 1 || !replies[0]?.endsWith(answerTo(`q${i}`)));
      console.log(JSON.stringify(missing.slice(0, 10), null, 1), missing.length);
      console.log(
        a.process
          .stdout()
          .split('\n')
          .filter((l) => /warn|error|turn/i.test(l))
          .slice(-30)
          .join('\n'),
      );
      throw error;
    });
    await sleep(1_000);
    const wrong = threads
      .map((thread, i) => ({ i, replies: repliesIn(thread).map((m) => m.text) }))
      .filter(({ i, replies }) => replies.length !== 1 || replies[0] !== answerTo(`q${i}`));
    expect(wrong).toEqual([]);
    // B was killed mid-answer: A continued B's turns in B's messages.
    expect(await a.metric('teambot_turns_recovered_total')).toBeGreaterThan(0);
    expect(await a.stop()).toBe(0);
  }, 120_000);
});
