import { afterEach, describe, expect, it } from 'vitest';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { type FakeLarkMessage, waitFor } from '../../../helpers/fake-lark.js';
import { answered, isFinished, repliesTo } from './answers.js';
import { type Harness, startHarness } from './harness.js';
import { messageEvent, nextMessageId } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;
afterEach(() => h.close());

const reply = 'Patched bit by bit: one, two, three, four, five, six, seven, eight, nine, ten.';

async function ask(text = 'count for me'): Promise<string> {
  const messageId = nextMessageId();
  expect((await h.sendEvent(messageEvent({ text, messageId }))).status).toBe(200);
  return messageId;
}

/** A patched card's interactive JSON has update_multi and one markdown element. */
function cardOf(message: FakeLarkMessage) {
  return JSON.parse(message.content) as {
    config: { update_multi?: boolean };
    body: { elements: Array<{ content: string }> };
  };
}

describe('Lark streaming fallbacks', () => {
  it('patches an interactive card, at most 5 times a second, when CardKit lacks its scope', async () => {
    engine.fake.setBehavior({ reply, chunkSize: 3, delayMs: 30 });
    h = await startHarness({ engine: engine.engine });
    h.fake.fail('cardkit.card.create');
    const messageId = await ask();
    const [message] = await answered(h.fake, messageId, reply);
    expect(message?.msgType).toBe('interactive');
    expect(message?.cardId).toBeUndefined();
    expect(cardOf(message as FakeLarkMessage).config.update_multi).toBe(true);
    expect(message?.patches.length).toBeGreaterThanOrEqual(2);
    const times = [h.fake.callsTo('im.message.reply')[0]?.at ?? 0, ...(message?.patches ?? [])];
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(200);
    expect(h.log.lines.some((l) => String(l.msg).includes('cardkit:card:write'))).toBe(true);

    // The missing scope is remembered: the next answer goes straight to a patched card.
    const second = await ask('again');
    await answered(h.fake, second, reply);
    expect(h.fake.callsTo('cardkit.card.create')).toHaveLength(1);
  });

  it('goes on in a patched card from where CardKit stopped when an update fails midway', async () => {
    engine.fake.setBehavior({ reply, chunkSize: 3, delayMs: 30 });
    h = await startHarness({ engine: engine.engine });
    h.fake.fail('cardkit.cardElement.content', { status: 400, code: 300500, msg: 'card error' });
    const messageId = await ask();
    await waitFor(() => {
      const replies = repliesTo(h.fake, messageId);
      const done = replies.length === 2 && replies.every((m) => isFinished(h.fake, m));
      return done && h.fake.textOf(replies[1] as FakeLarkMessage).endsWith('ten.') ? replies : undefined;
    }, 'both cards');
    const [streamed, patched] = repliesTo(h.fake, messageId);
    expect(streamed?.cardId).toBeDefined();
    expect(patched?.cardId).toBeUndefined();
    // Nothing lost, nothing repeated: the CardKit card holds the start, the patched card the rest.
    expect(`${h.fake.textOf(streamed as FakeLarkMessage)}${h.fake.textOf(patched as FakeLarkMessage)}`).toBe(
      reply,
    );
    expect(h.fake.cards.get(streamed?.cardId ?? '')?.streaming).toBe(false);
  });

  it('sends plain text at the end when neither CardKit nor card messages work', async () => {
    engine.fake.setBehavior({ reply, chunkSize: 8 });
    h = await startHarness({ engine: engine.engine });
    h.fake.fail('cardkit.card.create');
    h.fake.fail('im.message.reply', { status: 400, code: 230099, msg: 'card invalid', times: 1 });
    const messageId = await ask();
    const [message] = await answered(h.fake, messageId, reply);
    expect(message?.msgType).toBe('text');
    expect(repliesTo(h.fake, messageId)).toHaveLength(1);
  });

  it('sends nothing twice when a reply is carried out but its answer is lost', async () => {
    engine.fake.setBehavior({ reply: 'Exactly once.' });
    h = await startHarness({ engine: engine.engine });
    h.fake.loseResponse('im.message.reply');
    h.fake.loseResponse('cardkit.cardElement.content');
    const messageId = await ask();
    await answered(h.fake, messageId, 'Exactly once.');
    const replies = h.fake.callsTo('im.message.reply');
    expect(replies).toHaveLength(2);
    expect(replies[0]?.status).toBe(502);
    expect(replies[1]?.body.uuid).toBe(replies[0]?.body.uuid);
    expect(repliesTo(h.fake, messageId)).toHaveLength(1);
    const contents = h.fake.callsTo('cardkit.cardElement.content');
    expect(contents[1]?.body).toMatchObject({
      uuid: contents[0]?.body.uuid,
      sequence: contents[0]?.body.sequence,
    });
  });

  it('splits a long answer into several cards without breaking a code block', async () => {
    const code = [
      '```ts',
      ...Array.from({ length: 40 }, (_, i) => `const line${i} = ${i}; // ${'x'.repeat(60)}`),
      '```',
    ];
    const paragraphs = Array.from(
      { length: 30 },
      (_, i) => `Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(12)}`,
    );
    const long = [...paragraphs.slice(0, 15), code.join('\n'), ...paragraphs.slice(15), code.join('\n')].join(
      '\n\n',
    );
    engine.fake.setBehavior({ reply: long, chunkSize: 400, delayMs: 1 });
    h = await startHarness({ engine: engine.engine });
    const messageId = await ask('write a lot');
    const replies = await waitFor(
      () => {
        const all = repliesTo(h.fake, messageId);
        return all.length >= 2 && all.every((m) => isFinished(h.fake, m)) && !h.bot.pipeline.inFlight
          ? all
          : undefined;
      },
      'the cards',
      10_000,
    );
    expect(replies.length).toBeGreaterThanOrEqual(2);
    for (const message of replies) {
      const text = h.fake.textOf(message);
      expect(text.length).toBeLessThanOrEqual(8_000);
      expect((text.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    const shown = replies.map((m) => h.fake.textOf(m)).join('\n');
    for (let i = 0; i < 30; i++) expect(shown).toContain(`Paragraph ${i}:`);
    for (let i = 0; i < 40; i++) expect(shown).toContain(`const line${i} = ${i};`);
  });
});
