import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-lark.js';
import { encryptEvent } from '../../../helpers/lark-crypto.js';
import { answered, lastQuestion, repliesTo } from './answers.js';
import { type Harness, startHarness } from './harness.js';
import { botMention, GROUP_CHAT, messageEvent, nextMessageId } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;

beforeEach(async () => {
  engine.fake.setBehavior({ reply: 'The answer is 42.' });
  h = await startHarness({ engine: engine.engine });
});
afterEach(() => h.close());

const ignoredLines = () =>
  h.log.lines.filter((l) => l.msg === 'Lark message not for the bot' || l.msg === 'Lark message ignored');

describe('Lark events over the webhook', () => {
  it('answers the encrypted url_verification challenge', async () => {
    const payload = { challenge: 'ch-123', token: 'test-verification-token', type: 'url_verification' };
    const response = await h.sendEvent(payload);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'ch-123' });
    // Lark may send the challenge unsigned: encrypted with the right key and token, it is answered.
    const unsigned = await h.post('/lark/events', JSON.stringify(encryptEvent('test-encrypt-key', payload)), {
      'content-type': 'application/json',
    });
    expect(JSON.parse(unsigned.body)).toEqual({ challenge: 'ch-123' });
  });

  it('answers a 1:1 message with one streamed CardKit card, after acknowledging at once', async () => {
    const reply = 'Streaming, one piece at a time, until the whole answer is there.';
    engine.fake.setBehavior({ reply, chunkSize: 4, delayMs: 25 });
    const requestsBefore = engine.fake.requests.length;
    const messageId = nextMessageId();
    const response = await h.sendEvent(messageEvent({ text: 'tell me something', messageId }));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({});
    expect(response.ms).toBeLessThan(500);
    expect(repliesTo(h.fake, messageId).filter((m) => h.fake.textOf(m) === reply)).toHaveLength(0);

    const [message] = await answered(h.fake, messageId, reply);
    expect(repliesTo(h.fake, messageId)).toHaveLength(1);
    expect(message?.msgType).toBe('interactive');
    expect(message?.inThread).toBe(false);
    const card = h.fake.cards.get(message?.cardId ?? '');
    expect(card?.card).toMatchObject({ schema: '2.0', config: { streaming_mode: true } });
    const contents = h.fake.callsTo('cardkit.cardElement.content');
    expect(contents.length).toBeGreaterThanOrEqual(2);
    const sequences = card?.ops.filter((op) => op.kind !== 'create').map((op) => op.sequence) ?? [];
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    // Every update carries the full text so far.
    const texts = contents.map((c) => String(c.body.content));
    for (let i = 1; i < texts.length; i++) expect(texts[i]?.startsWith(texts[i - 1] ?? '')).toBe(true);
    expect(texts.at(-1)).toBe(reply);
    // At most ~10 operations a second on the card.
    const times = card?.ops.map((op) => op.at) ?? [];
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(55);
    const settings = h.fake.callsTo('cardkit.card.settings').at(-1);
    expect(JSON.parse(String(settings?.body.settings))).toMatchObject({ config: { streaming_mode: false } });
    expect(card?.ops.at(-1)?.kind).toBe('settings');
    expect(engine.fake.requests.length).toBe(requestsBefore + 1);
    expect(lastQuestion(engine.fake.requests)).toBe('tell me something');
  });

  it('ignores a group message that does not mention the bot', async () => {
    const requestsBefore = engine.fake.requests.length;
    await h.sendEvent(messageEvent({ chatType: 'group', text: 'people talking' }));
    await waitFor(() => ignoredLines().length === 1, 'the message passed over');
    expect(h.bot.metrics.seen).toEqual([]);
    expect(engine.fake.requests.length).toBe(requestsBefore);
    expect(h.fake.messages).toEqual([]);
  });

  it('ignores a group message mentioning another user who carries the bot name', async () => {
    const impostor = { key: '@_user_1', openId: 'ou_someone', name: 'teambot' };
    await h.sendEvent(messageEvent({ chatType: 'group', text: '@_user_1 hello?', mentions: [impostor] }));
    await waitFor(() => ignoredLines().length === 1, 'the message passed over');
    expect(h.bot.metrics.seen).toEqual([]);
    expect(h.fake.messages).toEqual([]);
  });

  it('answers a group message that mentions the bot by open_id, in a thread under it', async () => {
    const messageId = nextMessageId();
    await h.sendEvent(
      messageEvent({
        chatType: 'group',
        text: '@_user_1 what is the answer?',
        mentions: [botMention],
        messageId,
      }),
    );
    const [message] = await answered(h.fake, messageId, 'The answer is 42.');
    expect(message?.inThread).toBe(true);
    expect(h.fake.callsTo('im.message.reply')[0]?.body).toMatchObject({
      reply_in_thread: true,
      msg_type: 'interactive',
    });
    expect(lastQuestion(engine.fake.requests)).toBe('what is the answer?');
    // A follow-up in that thread (root_id = the first message) is the same conversation.
    engine.fake.setBehavior({ reply: 'Still 42.' });
    const followUp = nextMessageId();
    await h.sendEvent(
      messageEvent({
        chatType: 'group',
        chatId: GROUP_CHAT,
        text: '@_user_1 and again?',
        mentions: [botMention],
        messageId: followUp,
        rootId: messageId,
        threadId: 'omt_1',
      }),
    );
    await answered(h.fake, followUp, 'Still 42.');
    const body = engine.fake.requests.at(-1)?.body as { messages: Array<{ content: string }> };
    expect(body.messages.map((m) => m.content)).toContain('what is the answer?');
  });

  it('answers once when the same event is delivered twice', async () => {
    const event = messageEvent({ text: 'once please', messageId: nextMessageId() });
    const messageId = event.event.message.message_id;
    await Promise.all([h.sendEvent(event), h.sendEvent(event)]);
    await answered(h.fake, messageId, 'The answer is 42.');
    await h.sendEvent(event);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(repliesTo(h.fake, messageId)).toHaveLength(1);
    expect(h.fake.callsTo('cardkit.card.create')).toHaveLength(1);
    expect(h.log.lines.filter((l) => l.msg === 'Lark event already handled')).toHaveLength(2);
  });

  it('answers once when Lark redelivers the message under a new event id', async () => {
    const messageId = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'hi', messageId }));
    await h.sendEvent(messageEvent({ text: 'hi', messageId }));
    await answered(h.fake, messageId, 'The answer is 42.');
    await waitFor(() => h.bot.metrics.seen.includes('dedup/duplicate'), 'the duplicate dropped');
    expect(repliesTo(h.fake, messageId)).toHaveLength(1);
  });

  it('drops a message created more than 30 minutes ago, with a log line and a count', async () => {
    const requestsBefore = engine.fake.requests.length;
    await h.sendEvent(messageEvent({ text: 'old news', createTime: Date.now() - 31 * 60_000 }));
    const line = await waitFor(
      () => h.log.lines.find((l) => l.msg === 'stale Lark event dropped'),
      'the log line',
    );
    expect(Number(line.ageMs)).toBeGreaterThan(30 * 60_000);
    expect(await h.metrics.registry.metrics()).toContain(
      'teambot_lark_stale_events_total{type="im.message.receive_v1"} 1',
    );
    expect(engine.fake.requests.length).toBe(requestsBefore);
    expect(h.fake.messages).toEqual([]);
  });

  it("ignores its own messages and other bots'", async () => {
    await h.sendEvent(messageEvent({ text: 'my answer', senderOpenId: 'ou_bot', senderType: 'app' }));
    await h.sendEvent(messageEvent({ text: 'beep', senderOpenId: 'ou_otherbot', senderType: 'app' }));
    await waitFor(() => ignoredLines().length === 2, 'both ignored');
    expect(
      ignoredLines()
        .map((l) => l.reason)
        .sort(),
    ).toEqual(['other_bot', 'own_message']);
    expect(h.fake.messages).toEqual([]);
  });

  it('answers other bots when answerBots is set', async () => {
    await h.close();
    h = await startHarness({ engine: engine.engine, adapter: { answerBots: true } });
    const messageId = nextMessageId();
    await h.sendEvent(
      messageEvent({ text: 'beep', senderOpenId: 'ou_otherbot', senderType: 'app', messageId }),
    );
    await answered(h.fake, messageId, 'The answer is 42.');
  });

  it('carries Chinese through end to end', async () => {
    const reply = '你好！我是 teambot，一个团队聊天助手。我可以回答问题、总结文字，也能帮你写东西。';
    engine.fake.setBehavior({ reply, chunkSize: 3 });
    const messageId = nextMessageId();
    await h.sendEvent(messageEvent({ text: '你好，请介绍一下你自己', messageId }));
    await answered(h.fake, messageId, reply);
    expect(lastQuestion(engine.fake.requests)).toBe('你好，请介绍一下你自己');
  });
});
