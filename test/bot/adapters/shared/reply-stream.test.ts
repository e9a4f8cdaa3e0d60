import { describe, expect, it } from 'vitest';
import { splitAtSafePoints } from '../../../../src/bot/adapters/shared/format/split.js';
import type {
  ReplySink,
  ReplyStreamSettings,
} from '../../../../src/bot/adapters/shared/stream/reply-sink.js';
import { streamReply } from '../../../../src/bot/adapters/shared/stream/reply-stream.js';
import { RESTART_CHUNK } from '../../../../src/inference/types.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

interface Message {
  calls: Array<{ kind: 'show' | 'finish'; text: string; at: number }>;
  abandoned: boolean;
}

/** Sinks that record each message's calls; `fail(n)` says whether the n-th call of all fails. */
function recordingSinks(fail: (call: number) => boolean = () => false) {
  const messages: Message[] = [];
  let calls = 0;
  const open = (): ReplySink => {
    const message: Message = { calls: [], abandoned: false };
    messages.push(message);
    const call = (kind: 'show' | 'finish') => async (text: string) => {
      calls += 1;
      if (fail(calls)) throw new Error(`call ${calls} failed`);
      message.calls.push({ kind, text, at: Date.now() });
    };
    return {
      get started() {
        return message.calls.length > 0;
      },
      show: call('show'),
      finish: call('finish'),
      abandon: async () => {
        message.abandoned = true;
      },
    };
  };
  return { messages, open };
}

async function* chunks(parts: string[], delayMs = 0, failAt?: number): AsyncGenerator<string> {
  for (const [i, part] of parts.entries()) {
    if (i === failAt) throw new Error('the model broke off');
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield part;
  }
}

const settings = (over: Partial<ReplyStreamSettings> = {}): ReplyStreamSettings => ({
  limit: 100,
  render: (text) => text,
  split: splitAtSafePoints,
  intervalMs: 1_000,
  restart: 'in-place',
  log: captureLogger().logger,
  ...over,
});

const finals = (messages: Message[]) => messages.map((m) => m.calls.at(-1)?.text);

describe('streamReply', () => {
  it('shows the first text that is not blank at once, then by interval, and finishes with all of it', async () => {
    const { messages, open } = recordingSinks();
    const parts = Array.from({ length: 12 }, (_, i) => (i < 2 ? ' ' : `w${i} `));
    const outcome = await streamReply(chunks(parts, 10), open, settings({ intervalMs: 40 }));
    expect(outcome).toEqual({ kind: 'done', text: parts.join('') });
    expect(messages).toHaveLength(1);
    const calls = messages[0]?.calls ?? [];
    expect(calls[0]).toMatchObject({ kind: 'show', text: '  w2 ' });
    expect(calls.at(-1)).toMatchObject({ kind: 'finish', text: parts.join('') });
    const shows = calls.filter((c) => c.kind === 'show');
    for (let i = 1; i < shows.length; i++) {
      expect((shows[i]?.at ?? 0) - (shows[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(35);
    }
    expect(shows.length).toBeLessThan(parts.length - 2);
  });

  it('goes on in a new message where the rendered text outgrows one, never inside a code block', async () => {
    const { messages, open } = recordingSinks();
    const text = `${'a '.repeat(40)}\n\n\`\`\`\n${'b'.repeat(50)}\n\`\`\`\n\n${'c '.repeat(30)}`;
    // Rendering lengthens the text: the parts are cut so that what is shown still fits.
    const render = (raw: string) => raw.replaceAll('a', 'aa');
    await streamReply(chunks(text.match(/[\s\S]{1,9}/g) ?? []), open, settings({ intervalMs: 0, render }));
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const message of messages) {
      expect(message.calls.at(-1)?.kind).toBe('finish');
      for (const call of message.calls) expect(call.text.length).toBeLessThanOrEqual(100);
      expect((message.calls.at(-1)?.text.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(finals(messages).join(' ').split(/\s+/).join(' ')).toBe(render(text).split(/\s+/).join(' '));
  });

  it('never splits where a message has no limit', async () => {
    const { messages, open } = recordingSinks();
    const split = () => expect.fail('split was called');
    const text = 'x '.repeat(500);
    const outcome = await streamReply(chunks([text]), open, settings({ limit: Infinity, split }));
    expect(outcome).toMatchObject({ kind: 'done' });
    expect(finals(messages)).toEqual([text]);
  });

  it('starts with text received earlier', async () => {
    const { messages, open } = recordingSinks();
    const outcome = await streamReply(chunks(['world']), open, settings(), 'hello ');
    expect(outcome).toEqual({ kind: 'done', text: 'hello world' });
    expect(finals(messages)).toEqual(['hello world']);
  });

  it('sends nothing for a blank answer', async () => {
    const { messages, open } = recordingSinks();
    await streamReply(chunks(['', ' ', '\n']), open, settings());
    expect(messages).toEqual([]);
  });
});

describe('streamReply when a sink call fails', () => {
  it('falls back with what the message shows and what it does not, and abandons it', async () => {
    const { messages, open } = recordingSinks((call) => call === 2);
    const source = chunks(['one ', 'two ', 'three'], 5);
    const outcome = await streamReply(source, open, settings({ intervalMs: 0 }));
    expect(outcome).toMatchObject({ kind: 'fallback', delivered: 'one ', pending: 'two ' });
    expect(messages[0]?.abandoned).toBe(true);
    // Nothing is lost: the rest of the source is still there.
    expect(await source.next()).toEqual({ value: 'three', done: false });
  });

  it('with retryUpdates, tries a failed update again later, but falls back when the first show fails', async () => {
    const retried = recordingSinks((call) => call === 2);
    const log = captureLogger();
    const outcome = await streamReply(
      chunks(['one ', 'two ', 'three'], 5),
      retried.open,
      settings({ intervalMs: 0, retryUpdates: true, log: log.logger }),
    );
    expect(outcome).toEqual({ kind: 'done', text: 'one two three' });
    expect(finals(retried.messages)).toEqual(['one two three']);
    expect(log.at('warn')).toHaveLength(1);

    const unstarted = recordingSinks((call) => call === 1);
    const first = await streamReply(chunks(['one']), unstarted.open, settings({ retryUpdates: true }));
    expect(first).toMatchObject({ kind: 'fallback', delivered: '', pending: 'one' });
  });

  it('falls back when the final call fails', async () => {
    const { open } = recordingSinks((call) => call === 2);
    const outcome = await streamReply(chunks(['a', 'b']), open, settings({ intervalMs: 10_000 }));
    expect(outcome).toMatchObject({ kind: 'fallback', delivered: 'a', pending: 'b' });
  });
});

describe('streamReply when the source fails', () => {
  it('finishes with what came, then rethrows', async () => {
    const { messages, open } = recordingSinks();
    const source = chunks(['partial ', 'answer', 'never'], 0, 2);
    await expect(streamReply(source, open, settings())).rejects.toThrow(/broke off/);
    expect(messages[0]?.calls.at(-1)).toMatchObject({ kind: 'finish', text: 'partial answer' });
  });

  it('abandons the message when even that fails, and still rethrows the source error', async () => {
    const { messages, open } = recordingSinks((call) => call === 2);
    const source = chunks(['partial ', 'answer', 'never'], 0, 2);
    await expect(streamReply(source, open, settings())).rejects.toThrow(/broke off/);
    expect(messages[0]?.abandoned).toBe(true);
  });
});

describe('streamReply when the answer starts over (RESTART_CHUNK)', () => {
  it("'in-place' shows the new answer in the same message, nothing of the old one left", async () => {
    const { messages, open } = recordingSinks();
    const source = chunks(['old ', 'text', RESTART_CHUNK, 'new ', 'answer'], 5);
    const outcome = await streamReply(source, open, settings({ intervalMs: 0 }));
    expect(outcome).toEqual({ kind: 'done', text: 'new answer' });
    expect(messages).toHaveLength(1);
    expect(messages[0]?.calls[0]?.text).toBe('old ');
    expect(finals(messages)).toEqual(['new answer']);
  });

  it("'hand-over' returns at once, the message untouched and the new answer left in the source", async () => {
    const { messages, open } = recordingSinks();
    const source = chunks(['old ', RESTART_CHUNK, 'new']);
    const outcome = await streamReply(source, open, settings({ intervalMs: 0, restart: 'hand-over' }));
    expect(outcome).toEqual({ kind: 'restart' });
    expect(messages[0]?.calls).toEqual([expect.objectContaining({ kind: 'show', text: 'old ' })]);
    expect((await source.next()).value).toBe('new');
  });

  it('falls back after a restart with the new text only', async () => {
    const { open } = recordingSinks((call) => call === 2);
    const source = chunks(['old ', RESTART_CHUNK, 'new'], 5);
    const outcome = await streamReply(source, open, settings({ intervalMs: 0 }));
    expect(outcome).toMatchObject({ kind: 'fallback', delivered: '', pending: 'new' });
  });
});
