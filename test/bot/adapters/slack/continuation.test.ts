import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_STREAM_LIMITS } from '../../../../src/bot/adapters/slack/reply/rolling-stream.js';
import { type SlackCall, waitFor } from '../../../helpers/fake-slack.js';
import { ScriptedEngine } from '../../../helpers/scripted-engine.js';
import { type Harness, startHarness } from './harness.js';
import { dmMessage, envelope, nextTs } from './payloads.js';

let h: Harness;
afterEach(() => h.close());

/** A generated answer: numbered lines of prose with code blocks between them. */
function generatedAnswer(lines: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 50 === 25) out.push('```ts\n', `const line${i} = compute(${i}); // in a code block\n`, '```\n');
    out.push(
      `Line ${i}: the quick brown fox jumps over the lazy dog, again and again, ${'é'.repeat(i % 7)}🦊 and so on.\n`,
    );
  }
  return out;
}

const sent = (call: SlackCall) =>
  `${typeof call.args.markdown_text === 'string' ? call.args.markdown_text : ''}${(
    (call.args.chunks as Array<{ text?: string }> | undefined) ?? []
  )
    .map((c) => c.text ?? '')
    .join('')}`;

async function ask(thread: string, engine: ScriptedEngine): Promise<string> {
  await h.sendEvent(envelope(dmMessage({ text: 'write a lot', ts: nextTs(), threadTs: thread })));
  await waitFor(
    () => engine.calls === 1 && h.bot.metrics.inFlightSeen.at(-1) === 0,
    'the end of the answer',
    30_000,
  );
  return h.fake.messages
    .filter((m) => m.threadTs === thread && m.kind === 'stream')
    .map((m) => m.text)
    .join('');
}

describe('a native stream longer than Slack allows', () => {
  it('goes on in new messages in the thread before 40,000 characters, appending at most 12,000 at once', async () => {
    // Bursts of 40 lines (about 4,000 characters) so that the text gained between two appends
    // outgrows an append and, once, a whole message.
    const lines = generatedAnswer(1_100);
    const chunks = Array.from({ length: Math.ceil(lines.length / 40) }, (_, i) =>
      lines.slice(i * 40, i * 40 + 40).join(''),
    );
    const full = chunks.join('');
    expect(full.length).toBeGreaterThan(2 * 40_000);
    const engine = new ScriptedEngine('scripted', [{ chunks, delayMs: 20 }]);
    h = await startHarness({ engine, streamIntervalMs: 300 });
    const thread = nextTs();

    const shown = await ask(thread, engine);
    const streams = h.fake.messages.filter((m) => m.threadTs === thread && m.kind === 'stream');
    expect(streams.length).toBeGreaterThanOrEqual(3);
    // Nothing lost, nothing repeated: the messages read in order are the answer.
    expect(shown).toBe(full);
    for (const message of streams) {
      expect(message.streaming).toBe(false);
      expect(message.text.length).toBeLessThanOrEqual(SLACK_STREAM_LIMITS.maxChars);
    }
    // Each message but the last ends at a line break.
    for (const message of streams.slice(0, -1)) expect(message.text.endsWith('\n')).toBe(true);
    const calls = ['chat.startStream', 'chat.appendStream', 'chat.stopStream'].flatMap((m) =>
      h.fake.callsTo(m),
    );
    expect(calls.every((c) => c.error === undefined)).toBe(true);
    const sizes = calls.map((c) => sent(c).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(12_000);
    // Some appends were cut to 12,000: the text gained between two of them was longer.
    expect(sizes.filter((size) => size > 11_000).length).toBeGreaterThan(0);
  });

  it('goes on in a new message before the stream gets too old', async () => {
    const chunks = generatedAnswer(120);
    const engine = new ScriptedEngine('scripted', [{ chunks, delayMs: 12 }]);
    h = await startHarness({ engine, streamIntervalMs: 50, adapter: { streamLimits: { maxAgeMs: 400 } } });
    const thread = nextTs();

    const shown = await ask(thread, engine);
    expect(shown).toBe(chunks.join(''));
    const streams = h.fake.messages.filter((m) => m.threadTs === thread && m.kind === 'stream');
    expect(streams.length).toBeGreaterThanOrEqual(3);
    // Each message is stopped once it is about as old as allowed (its start and stop are paired in order).
    const starts = h.fake.callsTo('chat.startStream').filter((c) => c.args.thread_ts === thread);
    expect(starts).toHaveLength(streams.length);
    streams.forEach((message, i) => {
      const stop = h.fake.callsTo('chat.stopStream').find((c) => c.args.ts === message.ts);
      expect((stop?.at ?? Number.POSITIVE_INFINITY) - (starts[i]?.at ?? 0)).toBeLessThan(400 + 600);
    });
  });
});
