import { afterEach, describe, expect, it } from 'vitest';
import { tableOffsets } from '../../../../src/bot/adapters/lark/format/tables.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { CARD_TABLES, type FakeLarkMessage, waitFor } from '../../../helpers/fake-lark.js';
import { isFinished, repliesTo } from './answers.js';
import { type Harness, startHarness } from './harness.js';
import { messageEvent, nextMessageId } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;
afterEach(() => h.close());

/** What must survive splitting: the text with runs of whitespace collapsed. */
const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** A long generated report: 9 tables between paragraphs of Chinese prose, about 40 KB in all. */
function report(): string {
  const sections: string[] = [];
  for (let s = 1; s <= 9; s++) {
    const prose = Array.from(
      { length: 24 },
      (_, i) => `第${s}节第${i}句：这里是一段关于季度数据的说明文字，内容较长。`,
    ).join('');
    const rows = Array.from(
      { length: 6 },
      (_, r) => `| 区域${r} | ${s * 100 + r} | ${(r * 1.5).toFixed(1)}% |`,
    );
    sections.push(
      `## 第${s}节\n\n${prose}\n\n| 区域 | 收入 | 增长 |\n|---|---:|---:|\n${rows.join('\n')}\n\n${prose}`,
    );
  }
  return sections.join('\n\n');
}

async function answeredInCards(messageId: string, minCards: number): Promise<FakeLarkMessage[]> {
  return waitFor(
    () => {
      const replies = repliesTo(h.fake, messageId);
      return replies.length >= minCards &&
        replies.every((m) => isFinished(h.fake, m)) &&
        engine.fake.requests.length > 0
        ? replies
        : undefined;
    },
    'the cards',
    20_000,
  );
}

describe('Lark long answers', () => {
  it('splits a long answer with many tables over cards within Lark limits, nothing lost or repeated', async () => {
    const answer = report();
    engine.fake.setBehavior({ reply: answer, chunkSize: 120, delayMs: 1 });
    h = await startHarness({ engine: engine.engine, adapter: { streamIntervalMs: 20 } });
    expect(Buffer.byteLength(answer)).toBeGreaterThan(30 * 1024);
    expect(tableOffsets(answer).length).toBeGreaterThan(CARD_TABLES);
    const messageId = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'the quarterly report', messageId }));
    const cards = await answeredInCards(messageId, 3);
    // Lark refused nothing (the fake answers 11310 / 300305 / 230099 past its limits).
    expect(h.fake.calls.filter((c) => c.code !== 0)).toEqual([]);
    for (const message of cards) {
      const card = h.fake.cards.get(message.cardId ?? '');
      expect(card).toBeDefined();
      const text = h.fake.textOf(message);
      expect(tableOffsets(text).length).toBeLessThanOrEqual(4);
      expect(Buffer.byteLength(JSON.stringify(card?.card))).toBeLessThanOrEqual(30 * 1024);
    }
    expect(words(cards.map((m) => h.fake.textOf(m)).join('\n'))).toBe(words(answer));
  });

  it('ends streaming mode on every card of the answer, so the chat list stops showing it as generating', async () => {
    const answer = report();
    engine.fake.setBehavior({ reply: answer, chunkSize: 200, delayMs: 1 });
    h = await startHarness({ engine: engine.engine, adapter: { streamIntervalMs: 20 } });
    const messageId = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'again', messageId }));
    const cards = await answeredInCards(messageId, 3);
    for (const message of cards) {
      const card = h.fake.cards.get(message.cardId ?? '');
      expect(card?.streaming).toBe(false);
      // The last operation on each card ends streaming and sets the chat-list preview from the text.
      expect(card?.ops.at(-1)?.kind).toMatch(/settings|update/);
    }
    const settings = h.fake.callsTo('cardkit.card.settings');
    expect(settings).toHaveLength(cards.length);
    for (const call of settings) {
      const parsed = JSON.parse(String(call.body.settings)) as {
        config: { streaming_mode: boolean; summary?: { content: string } };
      };
      expect(parsed.config.streaming_mode).toBe(false);
      expect(parsed.config.summary?.content ?? '').not.toBe('');
    }
  });
});
