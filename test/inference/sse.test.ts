import { describe, expect, it } from 'vitest';
import { parseSse, type SseEvent } from '../../src/inference/openai/sse.js';

const encoder = new TextEncoder();

function streamOf(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(chunks: Array<string | Uint8Array>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of parseSse(streamOf(chunks))) events.push(event);
  return events;
}

/** Every way of cutting `bytes` in two. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  return Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.slice(0, i), bytes.slice(i)]);
}

describe('parseSse', () => {
  it('parses data events and ignores comments and unknown fields', async () => {
    const events = await collect([': keep-alive\n', 'data: one\n\nretry: 10\ndata: two\n\n']);
    expect(events).toEqual([{ data: 'one' }, { data: 'two' }]);
  });

  it('keeps event names (per event) and the last id (until changed); strips only one leading space', async () => {
    const events = await collect(['event: delta\nid: 7\ndata:  spaced\n\ndata:tight\n\n']);
    expect(events).toEqual([
      { event: 'delta', id: '7', data: ' spaced' },
      { id: '7', data: 'tight' },
    ]);
  });

  it('joins multi-line data with newlines', async () => {
    expect(await collect(['data: a\ndata: b\ndata:\ndata: c\n\n'])).toEqual([{ data: 'a\nb\n\nc' }]);
  });

  it('handles CRLF and lone CR line ends', async () => {
    expect(await collect(['data: a\r\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n'])).toEqual([
      { data: 'a\nb' },
      { data: 'c' },
      { data: 'd' },
    ]);
  });

  it('handles a CRLF split between chunks', async () => {
    expect(await collect(['data: a\r', '\n\r', '\ndata: b\r\n\r\n'])).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('reassembles an event split at every possible byte', async () => {
    const bytes = encoder.encode('event: x\ndata: {"content":"hello"}\r\n\r\ndata: [DONE]\n\n');
    for (const parts of splits(bytes)) {
      expect(await collect(parts)).toEqual([{ event: 'x', data: '{"content":"hello"}' }, { data: '[DONE]' }]);
    }
  });

  it('decodes UTF-8 characters split across chunks (CJK and emoji)', async () => {
    const text = 'data: 你好 😀!\n\n';
    for (const parts of splits(encoder.encode(text))) {
      expect(await collect(parts)).toEqual([{ data: '你好 😀!' }]);
    }
    // One byte at a time: the 4-byte emoji arrives in four chunks.
    const bytes = encoder.encode(text);
    expect(await collect(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual([{ data: '你好 😀!' }]);
  });

  it('does not dispatch blank-line-only or comment-only blocks', async () => {
    expect(await collect(['\n\n: ping\n\nevent: lonely\n\n'])).toEqual([]);
  });

  it('delivers a last event that has no closing blank line', async () => {
    expect(await collect(['data: first\n\ndata: last'])).toEqual([{ data: 'first' }, { data: 'last' }]);
  });

  it('cancels the stream when the consumer stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: 1\n\ndata: 2\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of parseSse(stream)) {
      expect(event.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
