import { describe, expect, it } from 'vitest';
import type { NativeStream } from '../../../../src/bot/adapters/slack/reply/native-stream.js';
import { rollingStream, type StreamLimits } from '../../../../src/bot/adapters/slack/reply/rolling-stream.js';

/** Streamed messages as a list of their sends; `stopped` once ended. */
function recorder() {
  const messages: Array<{ sends: string[]; stopped: boolean; footer: unknown }> = [];
  const open = (): NativeStream => {
    const message = { sends: [] as string[], stopped: false, footer: undefined as unknown };
    let started = false;
    return {
      get ts() {
        return started ? String(messages.indexOf(message)) : undefined;
      },
      async append(markdown) {
        if (!started) messages.push(message);
        started = true;
        message.sends.push(markdown);
      },
      async stop(markdown, footer) {
        if (!started) messages.push(message);
        started = true;
        message.sends.push(markdown);
        message.stopped = true;
        message.footer = footer;
      },
      async abandon() {},
    };
  };
  return { messages, open, texts: () => messages.map((m) => m.sends.join('')) };
}

const limits: StreamLimits = { maxChars: 100, softChars: 80, maxAppend: 30, maxAgeMs: 1_000 };

describe('rollingStream', () => {
  it('cuts at a line break once past the soft limit, and appends at most maxAppend at once', async () => {
    const r = recorder();
    const stream = rollingStream(r.open, limits);
    const text = Array.from({ length: 20 }, (_, i) => `line ${String(i).padStart(2, '0')} is here\n`).join(
      '',
    );
    for (let i = 0; i < text.length; i += 45) await stream.append(text.slice(i, i + 45));
    await stream.stop('');
    expect(r.texts().join('')).toBe(text);
    for (const message of r.messages) {
      expect(message.stopped).toBe(true);
      expect(message.sends.join('').length).toBeLessThanOrEqual(100);
      for (const send of message.sends) expect(send.length).toBeLessThanOrEqual(30);
    }
    for (const t of r.texts().slice(0, -1)) expect(t.endsWith('\n')).toBe(true);
  });

  it('cuts a line longer than the room at the limit, never inside a surrogate pair', async () => {
    const r = recorder();
    const stream = rollingStream(r.open, limits);
    const text = `${'a'.repeat(99)}🦊${'b'.repeat(150)}`;
    await stream.stop(text);
    expect(r.texts().join('')).toBe(text);
    expect(r.texts()[0]).toBe('a'.repeat(99));
    expect(r.texts()[1]?.startsWith('🦊')).toBe(true);
  });

  it('ends an old message at the next text and puts the footer under the last one only', async () => {
    let now = 0;
    const r = recorder();
    const stream = rollingStream(r.open, limits, () => now);
    await stream.append('first line\nsecond ');
    now = 1_500;
    await stream.append('half\nthird');
    const footer = { blocks: [], plain: [] };
    await stream.stop(' end', footer);
    expect(r.texts()).toEqual(['first line\nsecond half\n', 'third end']);
    expect(r.messages.map((m) => m.footer)).toEqual([undefined, footer]);
    expect(stream.ts).toBe('1');
  });

  it('ends a message that got no new text until it was too old; later text goes on in a new one', async () => {
    const r = recorder();
    const stream = rollingStream(r.open, { ...limits, maxAgeMs: 50 });
    await stream.append('before the pause\n');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(r.messages[0]?.stopped).toBe(true);
    await stream.append('after');
    await stream.stop(' the pause');
    expect(r.texts()).toEqual(['before the pause\n', 'after the pause']);
    expect(r.messages.every((m) => m.stopped)).toBe(true);
  });
});
