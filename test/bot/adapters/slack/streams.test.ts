import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../../src/bot/adapters/slack/format/index.js';
import { streamByEditing } from '../../../../src/bot/adapters/slack/reply/edit-stream.js';
import { type NativeStream, streamNatively } from '../../../../src/bot/adapters/slack/reply/native-stream.js';
import { RESTART_CHUNK } from '../../../../src/inference/types.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* chunks(parts: string[], delayMs = 0, failAfter?: number): AsyncGenerator<string> {
  for (const [i, part] of parts.entries()) {
    if (i === failAfter) throw new Error('engine broke');
    if (delayMs > 0) await sleep(delayMs);
    yield part;
  }
}

function recordingTarget() {
  const calls: Array<{ kind: 'post' | 'update'; ts: string; text: string; at: number }> = [];
  let n = 0;
  return {
    calls,
    target: {
      async post(text: string) {
        n += 1;
        calls.push({ kind: 'post' as const, ts: `m${n}`, text, at: Date.now() });
        return `m${n}`;
      },
      async update(ts: string, text: string) {
        calls.push({ kind: 'update' as const, ts, text, at: Date.now() });
      },
    },
  };
}

const settings = (limit = 1000, intervalMs = 100) => ({
  intervalMs,
  limit,
  render: (s: string) => s,
  split: splitMessage,
  log: captureLogger().logger,
});

describe('streamByEditing', () => {
  it('posts the first text at once, edits no more often than the interval, and ends with the full text', async () => {
    const { calls, target } = recordingTarget();
    const parts = Array.from({ length: 20 }, (_, i) => `w${i} `);
    const text = await streamByEditing(chunks(parts, 15)[Symbol.asyncIterator](), target, settings());
    expect(text).toBe(parts.join(''));
    expect(calls[0]).toMatchObject({ kind: 'post', text: 'w0 ' });
    expect(calls.filter((c) => c.kind === 'post')).toHaveLength(1);
    expect(calls.at(-1)).toMatchObject({ kind: 'update', text: parts.join('') });
    for (let i = 1; i < calls.length - 1; i++) {
      expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(95);
    }
  });

  it('waits for text that is not blank before posting', async () => {
    const { calls, target } = recordingTarget();
    await streamByEditing(chunks(['', '  ', '\n', 'hi']), target, settings());
    expect(calls).toEqual([expect.objectContaining({ kind: 'post', text: '  \nhi' })]);
  });

  it('finishes a message at the limit and continues in a new one', async () => {
    const { calls, target } = recordingTarget();
    const parts = Array.from({ length: 30 }, (_, i) => `word${String(i).padStart(2, '0')} `);
    const text = await streamByEditing(chunks(parts), target, settings(60, 0));
    const finalTexts = new Map(calls.map((c) => [c.ts, c.text]));
    expect([...finalTexts.values()].every((t) => t.length <= 60)).toBe(true);
    expect([...finalTexts.values()].join(' ').split(/\s+/).filter(Boolean)).toEqual(text.trim().split(/\s+/));
    expect(finalTexts.size).toBeGreaterThan(3);
  });

  it('starts with text left over from a failed native stream', async () => {
    const { calls, target } = recordingTarget();
    const text = await streamByEditing(chunks(['world']), target, settings(), 'hello ');
    expect(text).toBe('hello world');
    expect(calls.at(-1)?.text).toBe('hello world');
  });

  it('shows what it has when the source fails, then rethrows', async () => {
    const { calls, target } = recordingTarget();
    await expect(
      streamByEditing(chunks(['a', 'b', 'c'], 0, 2)[Symbol.asyncIterator](), target, settings(1000, 10_000)),
    ).rejects.toThrow('engine broke');
    expect(calls.at(-1)?.text).toBe('ab');
  });
});

function fakeNative(failOn?: { call: number; method: 'append' | 'stop' }) {
  const sent: string[] = [];
  let calls = 0;
  const state = { stopped: false, abandoned: false };
  const stream: NativeStream = {
    ts: undefined,
    async append(markdown) {
      calls += 1;
      if (failOn?.method === 'append' && failOn.call === calls) throw new Error('slack said no');
      sent.push(markdown);
    },
    async stop(markdown) {
      calls += 1;
      if (failOn?.method === 'stop') throw new Error('slack said no');
      sent.push(markdown);
      state.stopped = true;
    },
    async abandon() {
      state.abandoned = true;
    },
  };
  return { stream, sent, state };
}

describe('streamNatively', () => {
  it('sends the first text at once, batches the rest by interval, and stops with the remainder', async () => {
    const { stream, sent, state } = fakeNative();
    const outcome = await streamNatively(
      chunks(['a', 'b', 'c', 'd'], 20)[Symbol.asyncIterator](),
      stream,
      1_000,
    );
    expect(outcome).toEqual({ kind: 'done', text: 'abcd' });
    expect(sent).toEqual(['a', 'bcd']);
    expect(state.stopped).toBe(true);
  });

  it('falls back with everything pending when the stream cannot start', async () => {
    const { stream } = fakeNative({ call: 1, method: 'append' });
    const source = chunks(['a', 'b', 'c'])[Symbol.asyncIterator]();
    const outcome = await streamNatively(source, stream, 0);
    expect(outcome).toMatchObject({ kind: 'fallback', delivered: '', pending: 'a' });
    expect(await source.next()).toEqual({ value: 'b', done: false });
  });

  it('falls back with what was shown and what was not when an append fails midway', async () => {
    const { stream, state } = fakeNative({ call: 2, method: 'append' });
    const outcome = await streamNatively(chunks(['a', 'b', 'c'])[Symbol.asyncIterator](), stream, 0);
    expect(outcome).toMatchObject({ kind: 'fallback', delivered: 'a', pending: 'b' });
    expect(state.abandoned).toBe(true);
  });

  it('falls back when the final stop fails', async () => {
    const { stream } = fakeNative({ call: 0, method: 'stop' });
    const outcome = await streamNatively(chunks(['a', 'b'])[Symbol.asyncIterator](), stream, 10_000);
    expect(outcome).toMatchObject({ kind: 'fallback', delivered: 'a', pending: 'b' });
  });

  it('sends nothing for an empty answer, and stops the stream before rethrowing a source error', async () => {
    const empty = fakeNative();
    expect(await streamNatively(chunks([' '])[Symbol.asyncIterator](), empty.stream, 0)).toEqual({
      kind: 'done',
      text: '',
    });
    expect(empty.sent).toEqual([]);
    const broken = fakeNative();
    await expect(
      streamNatively(chunks(['a', 'b', 'c'], 0, 2)[Symbol.asyncIterator](), broken.stream, 10_000),
    ).rejects.toThrow('engine broke');
    expect(broken.sent).toEqual(['a', 'b']);
    expect(broken.state.stopped).toBe(true);
  });
});

describe('Slack streams when the answer starts over (RESTART_CHUNK)', () => {
  it('post-then-edit rewrites the same message with the new answer', async () => {
    const { calls, target } = recordingTarget();
    const text = await streamByEditing(
      chunks(['old ', 'text', RESTART_CHUNK, 'new ', 'answer'], 5)[Symbol.asyncIterator](),
      target,
      settings(1000, 0),
    );
    expect(text).toBe('new answer');
    expect(calls.filter((c) => c.kind === 'post')).toHaveLength(1);
    expect(new Set(calls.map((c) => c.ts))).toEqual(new Set(['m1']));
    expect(calls.at(-1)).toMatchObject({ kind: 'update', ts: 'm1', text: 'new answer' });
  });

  it('a native stream is stopped and handed over by its ts, to be rewritten by editing', async () => {
    const { stream, sent, state } = fakeNative();
    const source = chunks(['old ', 'text', RESTART_CHUNK, 'new'])[Symbol.asyncIterator]();
    const started: NativeStream = { ...stream, ts: '111.222' };
    const outcome = await streamNatively(source, started, 0);
    expect(outcome).toEqual({ kind: 'restart', ts: '111.222' });
    expect(sent.join('')).toBe('old text');
    expect(state.stopped).toBe(true);
    // What is left of the source is the new answer.
    expect((await source.next()).value).toBe('new');
  });
});
