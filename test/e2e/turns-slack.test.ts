import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startRedisServer } from '../../bench/limits/redis-server.js';
import { appMention, envelope, nextTs } from '../bot/adapters/slack/payloads.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { type FakeSlack, startFakeSlack, waitFor } from '../helpers/fake-slack.js';
import { deliver, type Gateway, startGateway, stopAll } from '../helpers/gateways.js';
import { signJson } from '../helpers/slack-signing.js';

const SECRET = 'turns-signing-secret';
/** The fake model's answer: long enough (about 0.4 s streamed) that a kill lands mid-answer. */
const answerTo = (question: string) => `Answer to ${question}: ${'lorem ipsum '.repeat(8).trim()}.`;

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

function gatewayEnv(redisUrl = redis.url): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: 'fake-model',
    REDIS_URL: redisUrl,
    TURN_LOCK_MS: '2000',
    TURN_BURST_WINDOW_MS: '300',
    // No such file: the built-in roles, without per-user limits (200 questions from one user).
    PERMISSIONS_FILE: '/nonexistent/permissions.json',
  };
}

async function sendMention(gateway: Gateway, text: string, ts: string, threadTs?: string): Promise<void> {
  const mention = appMention({
    text: `<@${slack.botUserId}> ${text}`,
    ts,
    channel: 'C1',
    ...(threadTs === undefined ? {} : { threadTs }),
  });
  const event = envelope(mention, `EvT${ts.replace('.', '')}`);
  expect(await deliver(gateway, '/slack/events', signJson(SECRET, event))).toBe(200);
}

/** The questions a reply answers, from `answerTo`'s text (a merged burst answers several). */
function questionsOf(text: string): string[] {
  return (text.match(/^Answer to ([\s\S]*?): lorem/)?.[1] ?? '').split('\n\n');
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
    // The jobs (kept an hour after they finish) hold no token and no signing secret.
    const jobs = new Redis(redis.url);
    try {
      const keys = await jobs.keys('teambot:turns:*');
      const hashes = keys.filter((k) => /^teambot:turns:[0-9a-f]{32}$/.test(k));
      expect(hashes.length).toBeGreaterThan(100);
      const dumped = (await Promise.all(hashes.map((k) => jobs.hget(k, 'data')))).join('\n');
      expect(dumped).toContain('"reply":{"platform":"slack"');
      expect(dumped).not.toContain(slack.token);
      expect(dumped).not.toContain(SECRET);
    } finally {
      jobs.disconnect();
    }
  }, 120_000);

  it('answers three quick messages in one thread in order or merged, never interleaved; SIGTERM hands running turns back', async () => {
    // The first test's surviving gateway, and a new one beside it.
    const a = gateways.find((g) => g.alive) ?? (await startGateway('a2', gatewayEnv()));
    const b = await startGateway('b2', gatewayEnv());
    gateways.push(a, b);
    const root = nextTs();
    await sendMention(a, 'first', root);
    await sendMention(b, 'second', nextTs(), root);
    await sendMention(a, 'third', nextTs(), root);
    const done = await waitFor(
      () => {
        const replies = repliesIn(root);
        const asked = replies.flatMap((m) => questionsOf(m.text));
        return replies.every((m) => !m.streaming) && asked.length === 3 ? replies : undefined;
      },
      'the three questions answered',
      30_000,
    );
    expect(done.flatMap((m) => questionsOf(m.text))).toEqual(['first', 'second', 'third']);
    // One at a time: each reply's last write comes before the next reply's first.
    const spans = done.map((m) => {
      const writes = slack.calls.filter(
        (c) =>
          c.args.ts === m.ts || (c.args.thread_ts === root && c.method !== 'assistant.threads.setStatus'),
      );
      const own = writes.filter((c) => c.args.ts === m.ts);
      return { last: Math.max(...own.map((c) => c.at)), first: Number(m.ts.split('.')[0]) };
    });
    for (let i = 1; i < spans.length; i += 1) {
      const created = slack.calls.filter(
        (c) => c.args.thread_ts === root && /startStream|postMessage/.test(c.method),
      )[i];
      expect(created?.at ?? 0).toBeGreaterThanOrEqual(spans[i - 1]?.last ?? 0);
    }
    // A graceful stop (SIGTERM) mid-answer hands the running turns back to the queue: with b gone
    // first, a runs them all; a replica started after a stopped continues them in a's messages.
    expect(await b.stop()).toBe(0);
    const handed: string[] = [];
    // Slow answers (about 6 s), so that the stop lands while they stream.
    openai.setBehavior({ reply: answerTo, chunkSize: 4, delayMs: 200 });
    for (let i = 0; i < 6; i += 1) {
      const ts = nextTs();
      handed.push(ts);
      await sendMention(a, `h${i}`, ts);
    }
    await waitFor(() => handed.every((t) => repliesIn(t).length > 0), 'a to start answering', 10_000);
    expect(await a.stop()).toBe(0);
    openai.setBehavior({ reply: answerTo, chunkSize: 4, delayMs: 15 });
    const c = await startGateway('c', gatewayEnv());
    gateways.push(c);
    await waitFor(
      () => handed.every((t, i) => repliesIn(t).some((m) => m.text === answerTo(`h${i}`) && !m.streaming)),
      'c to answer what a handed back',
      30_000,
    );
    await sleep(500);
    expect(handed.map((t) => repliesIn(t).length)).toEqual(handed.map(() => 1));
    // c took over every turn a handed back (and may also have taken one b handed back that a had
    // not started yet): each answered once, above.
    expect(await c.metric('teambot_turns_recovered_total')).toBeGreaterThanOrEqual(handed.length);
    expect(await c.stop()).toBe(0);
  }, 90_000);
});

describe('durable turns across a Redis restart (Slack, append-only file on)', () => {
  it('keeps the queued turns and answers every event once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teambot-turns-aof-'));
    let own = await startRedisServer(undefined, { dir });
    try {
      const env = gatewayEnv(own.url);
      const [a, b] = await Promise.all([startGateway('ra', env), startGateway('rb', env)]);
      gateways.push(a, b);
      const threads: string[] = [];
      const sendAll = async (from: number, to: number) => {
        for (let i = from; i < to; i += 1) {
          const ts = nextTs();
          threads[i] = ts;
          await sendMention(i % 2 === 0 ? a : b, `r${i}`, ts);
        }
      };
      await sendAll(0, 40);
      await own.stop('SIGKILL');
      own = await startRedisServer(own.port, { dir });
      await sendAll(40, 80);
      await waitFor(
        () =>
          threads.every((thread, i) =>
            repliesIn(thread).some((m) => m.text === answerTo(`r${i}`) && !m.streaming),
          ),
        'every thread answered',
        45_000,
      );
      await sleep(1_000);
      const wrong = threads
        .map((thread, i) => ({ i, replies: repliesIn(thread).map((m) => m.text) }))
        .filter(({ i, replies }) => replies.length !== 1 || replies[0] !== answerTo(`r${i}`));
      expect(wrong).toEqual([]);
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await own.stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
