import { describe, expect, it } from 'vitest';
import {
  SLACK_TEXT_LIMIT,
  splitMessage,
  toMrkdwn,
} from '../../../../../src/bot/adapters/slack/format/index.js';

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

const codeLines = (count: number): string =>
  Array.from({ length: count }, (_, i) => `print(${i})  # line ${i}`).join('\n');

describe('splitMessage: plain text', () => {
  it('keeps a short message whole and drops blank ones', () => {
    expect(splitMessage('hello')).toEqual(['hello']);
    expect(splitMessage('a'.repeat(SLACK_TEXT_LIMIT))).toHaveLength(1);
    expect(splitMessage('')).toEqual([]);
    expect(splitMessage(' \n\n ')).toEqual([]);
  });

  it('has a default limit under the 4,000 characters Slack asks apps to keep text to', () => {
    expect(SLACK_TEXT_LIMIT).toBeGreaterThan(3_000);
    expect(SLACK_TEXT_LIMIT).toBeLessThanOrEqual(4_000);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => splitMessage('text', 0)).toThrow(RangeError);
    expect(() => splitMessage('text', 1.5)).toThrow(RangeError);
  });

  it('cuts at the last paragraph boundary that fits', () => {
    const p0 = 'First paragraph. It has two sentences.';
    const p1 = 'Second one\nspans two lines.';
    const p2 = 'Third.';
    expect(splitMessage([p0, p1, p2].join('\n\n'), 70)).toEqual([`${p0}\n\n${p1}`, p2]);
  });

  it('falls back to line breaks, then sentence ends, then spaces', () => {
    expect(splitMessage('line one is here\nline two is here\nline three', 40)).toEqual([
      'line one is here\nline two is here',
      'line three',
    ]);
    expect(splitMessage('One sentence here. Another one follows! And a third?', 40)).toEqual([
      'One sentence here. Another one follows!',
      'And a third?',
    ]);
    expect(splitMessage('many words without any full stop in this long line', 30)).toEqual([
      'many words without any full',
      'stop in this long line',
    ]);
  });

  it('prefers a late line break to an early paragraph break', () => {
    const text = `short\n\n${'x'.repeat(30)}\n${'y'.repeat(30)}\n${'z'.repeat(30)}`;
    expect(splitMessage(text, 80)).toEqual([`short\n\n${'x'.repeat(30)}\n${'y'.repeat(30)}`, 'z'.repeat(30)]);
  });

  it('does not take decimals or abbreviations without a space as sentence ends', () => {
    expect(splitMessage('pi is 3.14159 and e is 2.71828 roughly speaking', 30)).toEqual([
      'pi is 3.14159 and e is 2.71828',
      'roughly speaking',
    ]);
  });

  it('cuts after CJK full stops', () => {
    expect(splitMessage('这是第一句话。这是第二句话。这是第三句话。', 15)).toEqual([
      '这是第一句话。这是第二句话。',
      '这是第三句话。',
    ]);
  });

  it('cuts a word longer than the limit, but not inside a surrogate pair or an entity', () => {
    expect(splitMessage('a'.repeat(25), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
    expect(splitMessage(`${'a'.repeat(9)}😀${'b'.repeat(5)}`, 10)).toEqual([
      'a'.repeat(9),
      `😀${'b'.repeat(5)}`,
    ]);
    expect(splitMessage(`${'a'.repeat(8)}&amp;${'b'.repeat(5)}`, 10)).toEqual([
      'a'.repeat(8),
      `&amp;${'b'.repeat(5)}`,
    ]);
  });

  it('does not cut inside links, mentions, inline code or short emphasis', () => {
    expect(splitMessage('see the <https://x.io|link text here> now', 35)).toEqual([
      'see the',
      '<https://x.io|link text here> now',
    ]);
    expect(splitMessage('run the `npm run build here` now', 26)).toEqual([
      'run the',
      '`npm run build here` now',
    ]);
    expect(splitMessage('this is *really very bold* ok', 22)).toEqual(['this is', '*really very bold* ok']);
  });

  it('keeps every word, in order, across many parts', () => {
    const separators = [' ', '\n', '\n\n', ' '];
    let text = 'Start.';
    for (let i = 0; i < 200; i++) text += `${separators[i % 4]}Sentence ${i} has a few words, some *bold*.`;
    const parts = splitMessage(text, 300);
    expectWellFormed(parts, 300);
    expect(words(parts.join(' '))).toBe(words(text));
  });
});

describe('splitMessage: fenced code', () => {
  it('ends the part before a code block that fits in a part of its own', () => {
    const code = `\`\`\`ts\n${'const a = 1;\n'.repeat(4)}\`\`\``;
    const text = `Intro line that is long enough.\n${code}\nAfter.`;
    expect(splitMessage(text, 80)).toEqual(['Intro line that is long enough.', `${code}\nAfter.`]);
  });

  it('never cuts at a blank line inside a code block', () => {
    const code = '```\nline one\n\nline two\n\nline three\n```';
    const parts = splitMessage(`Some words here.\n\n${code}`, 50);
    expect(parts).toEqual(['Some words here.', code]);
  });

  it('closes and reopens a code block longer than the limit, keeping its language tag', () => {
    const text = `Intro.\n\n\`\`\`python\n${codeLines(30)}\n\`\`\`\n\nOutro.`;
    const parts = splitMessage(text, 200);
    expectWellFormed(parts, 200);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts[0]?.startsWith('Intro.\n\n```python\nprint(0)')).toBe(true);
    for (const part of parts.slice(1)) expect(part.startsWith('```python\n')).toBe(true);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('\n```')).toBe(true);
    expect(parts.at(-1)?.endsWith('```\n\nOutro.')).toBe(true);
    const code = parts.flatMap((part) => part.split('\n').filter((line) => line.startsWith('print(')));
    expect(code.join('\n')).toBe(codeLines(30));
  });

  it('cuts inside a code line only when one line alone is too long', () => {
    const line = 'x'.repeat(100);
    const parts = splitMessage(`\`\`\`\n${line}\n\`\`\``, 50);
    expectWellFormed(parts, 50);
    const code = parts.map((part) => part.replace(/^```\n/, '').replace(/\n```$/, '')).join('');
    expect(code).toBe(line);
  });

  it('keeps tilde and longer fences, indentation included, when reopening', () => {
    const text = `  ~~~~sh\n${codeLines(12)}\n  ~~~~`;
    const parts = splitMessage(text, 120);
    expectWellFormed(parts, 120);
    for (const part of parts.slice(1)) expect(part.startsWith('  ~~~~sh\n')).toBe(true);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('\n  ~~~~')).toBe(true);
  });

  it('closes a code block left open by the text in every part but the last', () => {
    const parts = splitMessage(`\`\`\`js\n${codeLines(20)}`, 150);
    expectWellFormed(parts.slice(0, -1), 150);
    expect(parts.at(-1)?.startsWith('```js\n')).toBe(true);
    expect(parts.at(-1)?.includes('\n```')).toBe(false);
  });

  it('splits Slack mrkdwn fences (no language tag) the same way', () => {
    const text = `\`\`\`\n${codeLines(20)}\n\`\`\``;
    const parts = splitMessage(text, 150);
    expectWellFormed(parts, 150);
    for (const part of parts.slice(1)) expect(part.startsWith('```\nprint(')).toBe(true);
  });

  it('still makes progress, dropping only whitespace, with a limit too small for fences', () => {
    const text = '```python\nprint(1)\n```';
    for (const limit of [1, 5, 8, 12]) {
      const parts = splitMessage(text, limit);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
      expect(parts.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
  });
});

describe('splitMessage: generated documents', () => {
  /** A small deterministic generator, so a failure always reproduces. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
  }

  function document(next: () => number): string {
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)] as T;
    const words = [
      'alpha',
      '**bold**',
      '*it*',
      'snake_case',
      'a < b',
      '`code`',
      '[l](https://x.io/a_b)',
      '这是。',
      '😀',
      'end.',
    ];
    const blocks: string[] = [];
    for (let b = 1 + Math.floor(next() * 10); b > 0; b--) {
      if (next() < 0.3) {
        const lines = Array.from({ length: 1 + Math.floor(next() * 40) }, () =>
          next() < 0.05
            ? 'y'.repeat(Math.floor(next() * 300))
            : `  call(${Math.floor(next() * 100)}) && more`,
        );
        blocks.push(`\`\`\`${pick(['', 'ts'])}\n${lines.join('\n')}\n\`\`\``);
      } else {
        blocks.push(
          Array.from({ length: 1 + Math.floor(next() * 50) }, () => pick(words)).join(pick([' ', ' ', '\n'])),
        );
      }
    }
    return blocks.join('\n\n');
  }

  /** Whether the parts, less whitespace and less fences added at cuts, spell out the text. */
  function spellsOut(parts: string[], text: string): boolean {
    const target = text.replace(/\s/g, '');
    const from = (index: number, at: number): boolean => {
      const part = parts[index];
      if (part === undefined) return at === target.length;
      const whole = part.replace(/\s/g, '');
      const opener = /^```\S*\n/.exec(part)?.[0].replace(/\s/g, '');
      const heads = opener === undefined ? [whole] : [whole, whole.slice(opener.length)];
      const variants = heads.flatMap((head) => (head.endsWith('```') ? [head, head.slice(0, -3)] : [head]));
      return variants.some(
        (variant) => target.startsWith(variant, at) && from(index + 1, at + variant.length),
      );
    };
    return from(0, 0);
  }

  it('keeps every part within the limit, every fence balanced and all content, for Markdown and mrkdwn', () => {
    const next = random(7);
    for (let round = 0; round < 150; round++) {
      const markdown = document(next);
      const limit = [80, 200, 500, 1000][round % 4] as number;
      for (const text of [markdown, toMrkdwn(markdown)]) {
        const parts = splitMessage(text, limit);
        expectWellFormed(parts, limit);
        expect(spellsOut(parts, text)).toBe(true);
      }
    }
  });
});
