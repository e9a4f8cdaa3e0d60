import { describe, expect, it } from 'vitest';
import { DROP_CHUNK_TURNS, trimPrompt } from '../../src/inference/trim-prompt.js';
import type { ChatMessage } from '../../src/inference/types.js';

/** One token per word plus one per message. */
const countTokens = (messages: ChatMessage[]) =>
  messages.reduce((n, m) => n + 1 + m.content.split(/\s+/).filter(Boolean).length, 0);

function conversation(turns: number): ChatMessage[] {
  return [
    { role: 'system', content: 'be nice' },
    ...Array.from({ length: turns }, (_, i) => [
      { role: 'user' as const, content: `question ${i} a b` },
      { role: 'assistant' as const, content: `answer ${i} a b` },
    ]).flat(),
    { role: 'user', content: 'and now?' },
  ];
}

describe('trimPrompt', () => {
  it('keeps everything that fits', () => {
    const trimmed = trimPrompt(conversation(3), countTokens, 100, 10);
    expect(trimmed.dropped).toBe(0);
    expect(trimmed.messages).toHaveLength(8);
  });

  it('drops whole chunks of turns, keeping the system prompt and the last message', () => {
    // Each turn is 10 tokens; 20 turns + system 3 + question 3 = 206; 120 - 16 leaves 104 for the prompt.
    const trimmed = trimPrompt(conversation(20), countTokens, 120, 16);
    expect(trimmed.promptTokens + trimmed.maxNewTokens).toBeLessThanOrEqual(120);
    expect(trimmed.dropped % (2 * DROP_CHUNK_TURNS)).toBe(0);
    expect(trimmed.messages[0]?.role).toBe('system');
    expect(trimmed.messages[1]).toEqual({ role: 'user', content: `question ${trimmed.dropped / 2} a b` });
    expect(trimmed.messages.at(-1)).toEqual({ role: 'user', content: 'and now?' });
  });

  it('starts at the same turn while a conversation grows, until the next chunk must go', () => {
    const firsts = new Set<string>();
    for (let turns = 1; turns <= 30; turns++) {
      const trimmed = trimPrompt(conversation(turns), countTokens, 120, 16);
      firsts.add(trimmed.messages[1]?.content ?? '');
    }
    // 30 turns, at most ~10 fit: the start moved a chunk at a time, never one turn at a time.
    for (const first of firsts) {
      const turn = Number(first.split(' ')[1]);
      expect(first === 'and now?' || turn % DROP_CHUNK_TURNS === 0).toBe(true);
    }
    expect(firsts.size).toBeLessThanOrEqual(30 / DROP_CHUNK_TURNS + 1);
  });
});
