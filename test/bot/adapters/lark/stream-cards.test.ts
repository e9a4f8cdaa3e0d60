import { describe, expect, it } from 'vitest';
import { splitCardText } from '../../../../src/bot/adapters/lark/format/index.js';
import {
  type CardStreamSettings,
  streamToCards,
} from '../../../../src/bot/adapters/lark/reply/stream-cards.js';
import type { ReplySink as CardSink } from '../../../../src/bot/adapters/shared/stream/reply-sink.js';
import { RESTART_CHUNK } from '../../../../src/inference/types.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

interface Card {
  shown: string[];
  finished?: string;
  abandoned: boolean;
}

/** Sinks that record what each card showed; `failOn` makes the n-th call of all cards fail. */
function recordingSinks(failOn?: number) {
  const cards: Card[] = [];
  let calls = 0;
  const step = () => {
    calls += 1;
    if (calls === failOn) throw new Error('card call failed');
  };
  const open = (): CardSink => {
    const card: Card = { shown: [], abandoned: false };
    cards.push(card);
    return {
      show: async (text) => {
        step();
        card.shown.push(text);
      },
      finish: async (text) => {
        step();
        card.finished = text;
      },
      abandon: async () => {
        card.abandoned = true;
      },
    };
  };
  return { cards, open };
}

async function* chunks(parts: string[], delayMs = 0, failAfter?: number) {
  let i = 0;
  for (const part of parts) {
    if (i++ === failAfter) throw new Error('the model broke off');
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield part;
  }
}

const settings = (limit = 100, intervalMs = 1_000): CardStreamSettings => ({
  limit,
  render: (text) => text,
  split: splitCardText,
  intervalMs,
  log: captureLogger().logger,
});

describe('streamToCards', () => {
  it('shows the first text at once, then at most once per interval, and finishes with all of it', async () => {
    const { cards, open } = recordingSinks();
    const outcome = await streamToCards(
      chunks(['Hel', 'lo ', 'wor', 'ld'])[Symbol.asyncIterator](),
      open,
      settings(),
    );
    expect(outcome).toEqual({ kind: 'done' });
    expect(cards).toHaveLength(1);
    expect(cards[0]?.shown).toEqual(['Hel']);
    expect(cards[0]?.finished).toBe('Hello world');
  });

  it('moves on to a new card where the text outgrows one, never inside a code block', async () => {
    const { cards, open } = recordingSinks();
    const text = `${'a'.repeat(60)}\n\n\`\`\`\n${'b'.repeat(50)}\n\`\`\`\n\n${'c'.repeat(40)}`;
    const parts = text.match(/[\s\S]{1,7}/g) ?? [];
    await streamToCards(chunks(parts)[Symbol.asyncIterator](), open, settings(100, 0));
    expect(cards.length).toBeGreaterThanOrEqual(2);
    for (const card of cards) {
      expect(card.finished?.length).toBeLessThanOrEqual(100);
      expect((card.finished?.match(/```/g) ?? []).length % 2).toBe(0);
      for (const shown of card.shown) expect(shown.length).toBeLessThanOrEqual(100);
    }
    expect(cards.map((c) => c.finished).join('\n\n')).toBe(text);
  });

  it('falls back with what was not shown yet when a card call fails', async () => {
    const { cards, open } = recordingSinks(2);
    const source = chunks(['one ', 'two ', 'three'], 5)[Symbol.asyncIterator]();
    const outcome = await streamToCards(source, open, settings(100, 0));
    expect(outcome).toMatchObject({ kind: 'fallback', pending: 'two ' });
    expect(cards[0]?.shown).toEqual(['one ']);
    expect(cards[0]?.abandoned).toBe(true);
    // The caller goes on with the pending text and the rest of the source.
    const rest = recordingSinks();
    await streamToCards(
      source,
      rest.open,
      settings(100, 0),
      outcome.kind === 'fallback' ? outcome.pending : '',
    );
    expect(rest.cards[0]?.finished).toBe('two three');
  });

  it('shows what came as final, then rethrows, when the source fails', async () => {
    const { cards, open } = recordingSinks();
    const source = chunks(['partial ', 'answer', 'never'], 0, 2)[Symbol.asyncIterator]();
    await expect(streamToCards(source, open, settings())).rejects.toThrow(/broke off/);
    expect(cards[0]?.finished).toBe('partial answer');
  });

  it('sends nothing for an empty answer', async () => {
    const { cards, open } = recordingSinks();
    await streamToCards(chunks(['', '  '])[Symbol.asyncIterator](), open, settings());
    expect(cards).toEqual([]);
  });
});

describe('streamToCards when the answer starts over (RESTART_CHUNK)', () => {
  it('shows the new answer in the same card, nothing of the old one left', async () => {
    const { cards, open } = recordingSinks();
    const outcome = await streamToCards(
      chunks(['old ', 'text', RESTART_CHUNK, 'new ', 'answer'], 5)[Symbol.asyncIterator](),
      open,
      settings(100, 0),
    );
    expect(outcome).toEqual({ kind: 'done' });
    expect(cards).toHaveLength(1);
    expect(cards[0]?.shown[0]).toBe('old ');
    expect(cards[0]?.finished).toBe('new answer');
  });
});
