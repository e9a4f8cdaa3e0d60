import { describe, expect, it } from 'vitest';
import {
  fitsOneCard,
  LARK_CARD_TEXT_LIMIT,
  larkMarkdown,
  splitCardText,
} from '../../../../../src/bot/adapters/lark/format/index.js';
import { tableOffsets } from '../../../../../src/bot/adapters/lark/format/tables.js';

/** The text with runs of whitespace collapsed: what must survive splitting. */
const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

function expectWellFormed(parts: string[], limit: number): void {
  for (const part of parts) {
    expect(part.length).toBeLessThanOrEqual(limit);
    expect(part.trim()).not.toBe('');
    const fenceLines = part.split('\n').filter((line) => /^\s*(```|~~~)/.test(line));
    expect(fenceLines.length % 2).toBe(0);
  }
}

describe('splitCardText', () => {
  it('keeps a short answer whole and drops blank ones', () => {
    expect(splitCardText('你好')).toEqual(['你好']);
    expect(splitCardText('汉'.repeat(LARK_CARD_TEXT_LIMIT))).toHaveLength(1);
    expect(splitCardText('汉'.repeat(LARK_CARD_TEXT_LIMIT + 1))).toHaveLength(2);
    expect(splitCardText(' \n\n ')).toEqual([]);
  });

  it('has a default limit whose CJK text fits a 30 KB card with room for its JSON', () => {
    expect(LARK_CARD_TEXT_LIMIT * 3).toBeLessThanOrEqual(30 * 1024 - 4 * 1024);
    expect(LARK_CARD_TEXT_LIMIT).toBeGreaterThanOrEqual(4_000);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => splitCardText('text', 0)).toThrow(RangeError);
  });

  it('prefers paragraphs, then lines, then sentences, then spaces', () => {
    expect(splitCardText('aaaa bbbb\ncccc\n\ndddd', 16)).toEqual(['aaaa bbbb\ncccc', 'dddd']);
    expect(splitCardText('aaaa bbbb\ncccc dddd', 16)).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(splitCardText('One two. Three four five', 16)).toEqual(['One two.', 'Three four five']);
    expect(splitCardText('one two three four', 10)).toEqual(['one two', 'three four']);
  });

  it('cuts Chinese after a full stop, where there are no spaces', () => {
    const parts = splitCardText('第一句话很长很长。第二句话也很长。第三句话', 10);
    expect(parts).toEqual(['第一句话很长很长。', '第二句话也很长。', '第三句话']);
  });

  it('never cuts inside a code block that fits in a part', () => {
    const code = '```ts\nconst a = 1;\nconst b = 2;\n```';
    const text = `${'intro '.repeat(10).trim()}\n\n${code}\n\nafter`;
    const parts = splitCardText(text, code.length + 10);
    expect(parts.some((part) => part.includes(code))).toBe(true);
    expectWellFormed(parts, code.length + 10);
  });

  it('closes and reopens, with its language, a code block longer than a part', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `print(${i})  # 第 ${i} 行`);
    const text = larkMarkdown(`Here:\n\n\`\`\`py\n${lines.join('\n')}\n\`\`\`\n\nDone.`);
    const limit = 200;
    const parts = splitCardText(text, limit);
    expect(parts.length).toBeGreaterThan(2);
    expectWellFormed(parts, limit);
    const codeParts = parts.filter((part) => part.includes('print('));
    for (const part of codeParts) expect(part).toMatch(/```python\n[\s\S]*\n```$|```python\n[\s\S]*\n```\n/);
    expect(words(parts.join('\n').replace(/```python\n|```\n?/g, ''))).toBe(
      words(`Here: ${lines.join(' ')} Done.`),
    );
  });

  it('loses no text', () => {
    const text = Array.from(
      { length: 300 },
      (_, i) => `第${i}段。Paragraph ${i} has **bold** and \`code\`.${i % 3 === 0 ? '\n' : ''}`,
    ).join('\n');
    const parts = splitCardText(text, 500);
    expectWellFormed(parts, 500);
    expect(words(parts.join(' '))).toBe(words(text));
  });
});

describe('splitCardText: Lark card limits', () => {
  const table = (n: number) => `| t${n} | v |\n|---|---|\n| ${n} | x |`;

  it('starts a new card before a fifth table, and counts no table in code', () => {
    const text = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(table).join('\n\n');
    const parts = splitCardText(text);
    expect(parts.map((part) => tableOffsets(part).length)).toEqual([4, 4, 1]);
    expect(words(parts.join('\n'))).toBe(words(text));
    const fenced = `\`\`\`\n${[1, 2, 3, 4, 5].map(table).join('\n\n')}\n\`\`\``;
    expect(splitCardText(fenced)).toEqual([fenced]);
  });

  it('cuts text that JSON escaping makes too large for a 30 KB card shorter', () => {
    // Control characters take 6 bytes each as JSON (\\u0001): 7,000 of them are 42 KB.
    const text = '\u0001'.repeat(7_000);
    expect(text.length).toBeLessThanOrEqual(LARK_CARD_TEXT_LIMIT);
    const parts = splitCardText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(fitsOneCard(part)).toBe(true);
    expect(parts.join('')).toBe(text);
  });
});
