import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_TEXT_LIMIT } from '../../../../src/bot/adapters/slack/format/index.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-slack.js';
import { type Harness, startHarness } from './harness.js';
import { dmMessage, envelope } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;
afterEach(() => h.close());

const prose = (words: number, tag: string) =>
  Array.from({ length: words }, (_, i) => `${tag}${i}`)
    .join(' ')
    .replace(/(\S+ ){12}/g, (line) => `${line.trim()}\n`);
const codeLines = Array.from({ length: 60 }, (_, i) => `const value${i} = compute(${i}); // line ${i}`);
const code = ['```ts', ...codeLines, '```'].join('\n');
/** About 3,000 characters of prose, a 2,300-character code block across the limit, then 4,000 more. */
const LONG = `${prose(620, 'a')}\n\n${code}\n\n${prose(900, 'b')}`;

const fences = (text: string) => text.split('\n').filter((line) => line.startsWith('```')).length;

describe('long answers', () => {
  it('go out as several messages of at most the limit, never cutting the code block', async () => {
    engine.fake.setBehavior({ reply: LONG, chunkSize: 150, delayMs: 2 });
    h = await startHarness({ engine: engine.engine });
    expect(LONG.length).toBeGreaterThan(2 * SLACK_TEXT_LIMIT);
    await h.sendEvent(envelope(dmMessage({ text: 'write a lot' })));
    await waitFor(
      () => h.fake.messages.some((m) => m.text.includes('b899')) && h.bot.metrics.inFlightSeen.at(-1) === 0,
      'the end of the answer',
    );

    const posts = h.fake.messages.filter((m) => m.channel === 'D1' && m.kind === 'post');
    expect(posts.length).toBeGreaterThanOrEqual(3);
    for (const post of posts) {
      expect(post.text.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
      expect(fences(post.text) % 2).toBe(0);
    }
    // The block fits in one message, so one message holds all of it.
    const withCode = posts.filter((p) => p.text.includes('const value'));
    expect(withCode).toHaveLength(1);
    for (const line of codeLines) expect(withCode[0]?.text).toContain(line);
    // Nothing lost, nothing repeated: every word appears exactly once across the messages.
    const words = posts.flatMap((p) => p.text.split(/\s+/)).filter((w) => /^[ab]\d+$/.test(w));
    expect(words).toEqual([...LONG.matchAll(/\b[ab]\d+\b/g)].map((m) => m[0]));
  });
});
