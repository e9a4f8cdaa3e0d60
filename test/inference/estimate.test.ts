import { describe, expect, it } from 'vitest';
import {
  estimateMessageTokens,
  estimateTextTokens,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REPLY,
} from '../../src/inference/estimate.js';

describe('token estimates', () => {
  it('counts about 3.5 characters per token for Latin text', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('abcdefg')).toBe(2);
    expect(estimateTextTokens('a'.repeat(350))).toBe(100);
  });

  it('counts one token per CJK character', () => {
    expect(estimateTextTokens('你好世界')).toBe(4);
    expect(estimateTextTokens('こんにちは')).toBe(5);
    expect(estimateTextTokens('안녕')).toBe(2);
    expect(estimateTextTokens('你好 world')).toBe(2 + 2);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(estimateTextTokens('😀😀😀😀😀😀😀')).toBe(2);
  });

  it('adds a few tokens per message and for the reply', () => {
    const messages = [
      { role: 'system' as const, content: '' },
      { role: 'user' as const, content: '你好' },
    ];
    expect(estimateMessageTokens([])).toBe(0);
    expect(estimateMessageTokens(messages)).toBe(TOKENS_PER_REPLY + 2 * TOKENS_PER_MESSAGE + 2);
  });
});
