import { afterEach, describe, expect, it } from 'vitest';
import { RedisKeyValueStore } from '../../../../src/storage/kv/redis.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { type FakeLark, startFakeLark, waitFor } from '../../../helpers/fake-lark.js';
import { redisUrlForTests, usePrefixes } from '../../../helpers/redis.js';
import { testTurns, whileAnswering } from '../../../helpers/turns.js';
import { answered, repliesTo } from './answers.js';
import { startHarness } from './harness.js';
import { messageEvent, nextMessageId } from './payloads.js';

const engine = useFakeEngine();
const nextPrefix = usePrefixes();
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

const answerTo = (question: string) => `Answer to ${question}.`;

/** The grey status card replying to `messageId` that says `text`. */
const statusCard = (fake: FakeLark, messageId: string, text: string) =>
  waitFor(
    () =>
      repliesTo(fake, messageId).find((m) => m.msgType === 'interactive' && fake.textOf(m).includes(text)),
    `the status line "${text}" under ${messageId}`,
    10_000,
  );

describe('Lark: a queued message shows a status line until its answer', () => {
  it('shows "Queued — n messages ahead" while the chat’s answer runs, recalls it when the answer comes (merged ones too)', async () => {
    engine.fake.setBehavior({ reply: answerTo, firstDelayMs: 4_000 });
    const turns = await testTurns({ strategy: 'merge' });
    const h = await startHarness({ engine: engine.engine, turns });
    open.push(h);
    const [first, second, third] = [nextMessageId(), nextMessageId(), nextMessageId()];
    await whileAnswering(engine.fake, h.sendEvent(messageEvent({ text: 'one', messageId: first })));
    await h.sendEvent(messageEvent({ text: 'two', messageId: second }));
    await h.sendEvent(messageEvent({ text: 'three', messageId: third }));
    const cards = [
      await statusCard(h.fake, second, 'Queued — 1 message ahead of yours…'),
      await statusCard(h.fake, third, 'Queued — 2 messages ahead of yours…'),
    ];
    // The first message was not waiting: no status line.
    expect(repliesTo(h.fake, first)).toEqual([]);
    await answered(h.fake, first, answerTo('one'), 15_000);
    // The two that waited are answered as one (merge), under the last; both status lines are recalled.
    await answered(h.fake, third, answerTo('two\n\nthree'), 15_000);
    await waitFor(() => repliesTo(h.fake, second).length === 0, 'the merged message’s status line recalled');
    expect(h.fake.recalled.map((m) => m.messageId).sort()).toEqual(cards.map((c) => c.messageId).sort());
    expect(repliesTo(h.fake, third)).toHaveLength(1);
    // Status cards take uuids of their own: none is one of an answer's.
    const answerUuids = h.fake.messages.map((m) => m.uuid);
    for (const card of cards) expect(answerUuids).not.toContain(card.uuid);
  }, 45_000);

  it('a message of another chat waiting for a free runner says so, until its answer', async () => {
    engine.fake.setBehavior({ reply: answerTo, firstDelayMs: 4_000 });
    const turns = await testTurns({ concurrency: 1 });
    const h = await startHarness({ engine: engine.engine, turns });
    open.push(h);
    const [busy, waiting] = [nextMessageId(), nextMessageId()];
    await h.sendEvent(messageEvent({ text: 'one', messageId: busy, chatId: 'oc_p2p_busy' }));
    await h.sendEvent(messageEvent({ text: 'two', messageId: waiting, chatId: 'oc_p2p_waiting' }));
    const card = await statusCard(h.fake, waiting, 'Queued — waiting for a free slot…');
    await answered(h.fake, waiting, answerTo('two'), 15_000);
    expect(h.fake.recalled.map((m) => m.messageId)).toEqual([card.messageId]);
    expect(repliesTo(h.fake, busy)).toHaveLength(1);
  }, 45_000);

  it('the replica that answers recalls the status line the accepting replica showed; the answer comes once', async () => {
    engine.fake.setBehavior({ reply: answerTo, firstDelayMs: 4_000 });
    const fake = await startFakeLark();
    const prefix = nextPrefix();
    const kvA = new RedisKeyValueStore({ url: redisUrlForTests(), prefix });
    const kvB = new RedisKeyValueStore({ url: redisUrlForTests(), prefix });
    open.push(fake, kvA, kvB);
    const redis = { url: redisUrlForTests(), prefix: `${prefix}q` };
    // A only accepts (it runs no turns); B answers everything.
    const a = await startHarness({
      engine: engine.engine,
      kv: kvA,
      fake,
      turns: await testTurns({ redis }),
      runTurns: false,
    });
    const b = await startHarness({ engine: engine.engine, kv: kvB, fake, turns: await testTurns({ redis }) });
    open.push(a, b);
    const [first, second] = [nextMessageId(), nextMessageId()];
    await whileAnswering(engine.fake, a.sendEvent(messageEvent({ text: 'one', messageId: first })));
    await a.sendEvent(messageEvent({ text: 'two', messageId: second }));
    const card = await statusCard(fake, second, 'Queued — 1 message ahead of yours…');
    await answered(fake, first, answerTo('one'), 15_000);
    await answered(fake, second, answerTo('two'), 15_000);
    expect(fake.recalled.map((m) => m.messageId)).toEqual([card.messageId]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesTo(fake, second)).toHaveLength(1);
    expect(repliesTo(fake, first)).toHaveLength(1);
  }, 45_000);
});
