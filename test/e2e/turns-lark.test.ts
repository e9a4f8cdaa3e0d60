import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startRedisServer } from '../../bench/limits/redis-server.js';
import { messageEvent, nextMessageId } from '../bot/adapters/lark/payloads.js';
import { type FakeLark, startFakeLark, waitFor } from '../helpers/fake-lark.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { deliver, type Gateway, startGateway, stopAll } from '../helpers/gateways.js';
import { encryptAndSign } from '../helpers/lark-crypto.js';
import { larkWebhookEnv } from '../helpers/lark-webhook-env.js';

const ENCRYPT_KEY = 'turns-encrypt-key';
const answerTo = (question: string) => `Answer to ${question}: ${'lorem ipsum '.repeat(8).trim()}.`;

let redis: OwnRedis;
let lark: FakeLark;
let openai: FakeOpenAI;
const gateways: Gateway[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  lark = await startFakeLark();
  openai = await startFakeOpenAI({ behavior: { reply: answerTo, chunkSize: 4, delayMs: 15 } });
});
afterAll(async () => {
  await stopAll(gateways);
  await lark?.close();
  await openai?.close();
  await redis?.stop();
});

const env = (): Record<string, string> => ({
  ...larkWebhookEnv(lark, openai, ENCRYPT_KEY),
  REDIS_URL: redis.url,
  TURN_LOCK_MS: '2000',
  TURN_BURST_WINDOW_MS: '300',
  PERMISSIONS_FILE: '/nonexistent/permissions.json',
});

describe('durable turns on two gateways sharing Redis (Lark)', () => {
  it('answers 80 encrypted events exactly once, a fifth delivered to both, with one replica SIGKILLed mid-answer', async () => {
    const [a, b] = await Promise.all([startGateway('a', env()), startGateway('b', env())]);
    gateways.push(a, b);
    const asked: string[] = [];
    const send = async (i: number, targets: Gateway[]) => {
      const messageId = nextMessageId();
      asked[i] = messageId;
      // Each in a 1:1 chat of its own: one conversation per message.
      const event = messageEvent({
        text: `q${i}`,
        messageId,
        chatId: `oc_p2p_${i}`,
        senderOpenId: `ou_${i}`,
      });
      const statuses = await Promise.all(
        targets.map((g) => deliver(g, '/lark/events', encryptAndSign(ENCRYPT_KEY, event))),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
    };
    for (let i = 0; i < 50; i += 1) await send(i, i % 5 === 0 ? [a, b] : [i % 2 === 0 ? a : b]);
    await sleep(300);
    await b.kill();
    for (let i = 50; i < 80; i += 1) await send(i, [a]);

    const repliesTo = (messageId: string) => lark.messages.filter((m) => m.replyTo === messageId);
    const finished = (i: number) =>
      repliesTo(asked[i] as string).some((m) => {
        const card = m.cardId === undefined ? undefined : lark.cards.get(m.cardId);
        return lark.textOf(m) === answerTo(`q${i}`) && card?.streaming !== true;
      });
    await waitFor(() => asked.every((_, i) => finished(i)), 'every message answered', 45_000);
    await sleep(1_000);
    const wrong = asked
      .map((messageId, i) => ({ i, replies: repliesTo(messageId).map((m) => lark.textOf(m)) }))
      .filter(({ i, replies }) => replies.length !== 1 || replies[0] !== answerTo(`q${i}`));
    expect(wrong).toEqual([]);
    expect(await a.metric('teambot_turns_recovered_total')).toBeGreaterThan(0);
    expect(await a.stop()).toBe(0);
  }, 120_000);
});
