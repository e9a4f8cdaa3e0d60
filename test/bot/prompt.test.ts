import { describe, expect, it } from 'vitest';
import { fitPrompt } from '../../src/bot/conversation/prompt.js';
import { UserFacingError } from '../../src/bot/errors.js';
import { DROP_CHUNK_TURNS } from '../../src/inference/trim-prompt.js';
import type { ChatMessage } from '../../src/inference/types.js';

/** One token per word plus one per message: easy to reason about. */
const countTokens = (messages: ChatMessage[]) =>
  messages.reduce((n, m) => n + 1 + m.content.split(/\s+/).filter(Boolean).length, 0);

function history(exchanges: number): ChatMessage[] {
  return Array.from({ length: exchanges }, (_, i) => [
    { role: 'user' as const, content: `question ${i} one two three` },
    { role: 'assistant' as const, content: `answer ${i} one two three` },
  ]).flat();
}

describe('fitPrompt', () => {
  it('keeps everything when it fits, system first and the question last', () => {
    const fitted = fitPrompt({
      system: 'be nice',
      history: history(2),
      question: 'and now?',
      countTokens,
      contextLength: 100,
      maxNewTokens: 20,
    });
    expect(fitted.dropped).toBe(0);
    expect(fitted.messages[0]).toEqual({ role: 'system', content: 'be nice' });
    expect(fitted.messages.at(-1)).toEqual({ role: 'user', content: 'and now?' });
    expect(fitted.messages).toHaveLength(6);
    expect(fitted.maxTokens).toBe(20);
    expect(fitted.promptTokens).toBe(countTokens(fitted.messages));
  });

  it('drops the oldest exchanges first until prompt plus answer fit', () => {
    // each history message costs 6 tokens, the system prompt 3 and the question 3
    const fitted = fitPrompt({
      system: 'be nice',
      history: history(5),
      question: 'and now?',
      countTokens,
      contextLength: 50,
      maxNewTokens: 20,
    });
    expect(fitted.promptTokens + fitted.maxTokens).toBeLessThanOrEqual(50);
    // 3 + 3 + 2 exchanges × 12 = 30 would fit, but exchanges leave DROP_CHUNK_TURNS (4) at a time.
    expect(fitted.dropped).toBe(2 * DROP_CHUNK_TURNS);
    expect(fitted.messages[1]).toEqual({ role: 'user', content: 'question 4 one two three' });
  });

  it('keeps the prompt start while a thread grows, moving it a chunk of exchanges at a time', () => {
    const starts: string[] = [];
    let previous: ChatMessage[] = [];
    let moves = 0;
    for (let exchanges = 1; exchanges <= 24; exchanges++) {
      const fitted = fitPrompt({
        system: 'be nice',
        history: history(exchanges),
        question: 'and now?',
        countTokens,
        contextLength: 150,
        maxNewTokens: 20,
      });
      expect(fitted.promptTokens + fitted.maxTokens).toBeLessThanOrEqual(150);
      const head = fitted.messages.slice(0, -1);
      // Unless the start moved, the turn before's prompt (without its question) is where this one begins.
      const kept = previous.slice(0, -1);
      if (head.slice(0, kept.length).every((m, i) => m.content === kept[i]?.content)) {
        expect(head.length).toBeGreaterThanOrEqual(kept.length);
      } else {
        moves++;
        expect(fitted.dropped % (2 * DROP_CHUNK_TURNS)).toBe(0);
      }
      starts.push(fitted.messages[1]?.content ?? '');
      previous = fitted.messages;
    }
    // 24 exchanges of 12 tokens into 126 tokens of history: the start moved a few times, not every turn.
    expect(moves).toBeGreaterThan(0);
    expect(moves).toBeLessThanOrEqual(24 / DROP_CHUNK_TURNS);
    expect(new Set(starts).size).toBe(moves + 1);
  });

  it('never starts the history with an orphaned answer', () => {
    const broken = history(3).slice(1); // begins with an assistant turn
    const fitted = fitPrompt({
      system: '',
      history: broken,
      question: 'q',
      countTokens,
      contextLength: 1000,
      maxNewTokens: 10,
    });
    expect(fitted.messages[0]?.role).toBe('user');
    expect(fitted.dropped).toBe(1);
  });

  it('shortens the answer budget rather than failing when only the question is left', () => {
    const fitted = fitPrompt({
      system: '',
      history: history(3),
      question: Array.from({ length: 60 }, () => 'word').join(' '),
      countTokens,
      contextLength: 100,
      maxNewTokens: 64,
    });
    expect(fitted.messages).toHaveLength(1);
    expect(fitted.maxTokens).toBe(100 - 61);
  });

  it('refuses a question too long for the model with a clear message', () => {
    const run = () =>
      fitPrompt({
        system: 'sys',
        history: [],
        question: Array.from({ length: 200 }, () => 'word').join(' '),
        countTokens,
        contextLength: 100,
        maxNewTokens: 64,
      });
    expect(run).toThrow(UserFacingError);
    expect(run).toThrow(/too long for the model/);
  });
});
