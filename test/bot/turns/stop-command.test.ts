import { describe, expect, it } from 'vitest';
import { STOP_SENT } from '../../../src/bot/commands/stop.js';
import { STOPPED_MARK } from '../../../src/bot/turns/stopped-mark.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import { testBot } from '../../helpers/bot.js';
import { message } from '../../helpers/messages.js';
import { recordingReplier } from '../../helpers/recording-replier.js';
import { ScriptedEngine } from '../../helpers/scripted-engine.js';

const WORDS = Array.from({ length: 120 }, (_, i) => `w${i} `);

/** Two answers running in one chat: one in thread A by U1, one in thread B by U2, one outside threads by U1. */
async function threeAnswers() {
  const engine = new ScriptedEngine('scripted', [{ chunks: WORDS, delayMs: 20 }]);
  const bot = testBot(new MemoryKeyValueStore({ prefix: 'stop-test:' }), engine);
  const chat = { id: 'C1', kind: 'channel' as const };
  const replies = { a: recordingReplier(), b: recordingReplier(), plain: recordingReplier() };
  const running = [
    bot.pipeline.handle(message({ chat, thread: 'A', user: { id: 'U1' }, text: 'count' }), replies.a),
    bot.pipeline.handle(message({ chat, thread: 'B', user: { id: 'U2' }, text: 'count' }), replies.b),
    bot.pipeline.handle(message({ chat, user: { id: 'U1' }, text: 'count' }), replies.plain),
  ];
  while (Object.values(replies).some((r) => (r.sent[0]?.text.length ?? 0) < 20)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { bot, engine, chat, replies, running };
}

const ended = (text: string | undefined) => text?.endsWith(STOPPED_MARK) === true;

describe('/stop', () => {
  it('sent in a thread, stops the answers of that thread only', async () => {
    const { bot, chat, replies, running } = await threeAnswers();
    const notice = recordingReplier();
    await bot.pipeline.handle(
      message({ chat, thread: 'A', user: { id: 'U2' }, text: '/stop', command: { name: 'stop', args: '' } }),
      notice,
    );
    await running[0];
    expect(ended(replies.a.sent[0]?.text)).toBe(true);
    expect(notice.sent).toEqual([{ kind: 'notice', text: STOP_SENT }]);
    await Promise.all(running);
    expect(ended(replies.b.sent[0]?.text)).toBe(false);
    expect(ended(replies.plain.sent[0]?.text)).toBe(false);
  });

  it('outside threads (a slash command), stops the sender’s answers in that chat, wherever they are', async () => {
    const { bot, chat, replies, running } = await threeAnswers();
    await bot.pipeline.handle(
      message({ chat, user: { id: 'U1' }, text: '/stop', command: { name: 'stop', args: '' } }),
      recordingReplier(),
    );
    await Promise.all(running);
    expect(ended(replies.a.sent[0]?.text)).toBe(true);
    expect(ended(replies.plain.sent[0]?.text)).toBe(true);
    expect(ended(replies.b.sent[0]?.text)).toBe(false);
    // The stopped answers are not remembered; the one that finished is.
    expect(await bot.memory.load('slack:T1:C1:A')).toEqual([]);
    expect(await bot.memory.load('slack:T1:C1:B')).toHaveLength(2);
  });
});
