/** One Server-Sent Event: `data` is its data lines joined with '\n'. */
export interface SseEvent {
  event?: string;
  /** The last event id seen so far in the stream (it carries over, as in the browser). */
  id?: string;
  data: string;
}

/** Splits decoded text into complete lines (LF, CRLF or CR), keeping the unfinished tail. */
class LineSplitter {
  private buffer = '';

  push(text: string, final: boolean): string[] {
    this.buffer += text;
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
      if (c === '\r' && i === this.buffer.length - 1 && !final) break;
      lines.push(this.buffer.slice(start, i));
      if (c === '\r' && this.buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    if (final && this.buffer !== '') {
      lines.push(this.buffer);
      this.buffer = '';
    }
    return lines;
  }
}

/** Builds events from lines, as the WHATWG event-stream interpretation does. */
class EventBuilder {
  private data: string[] = [];
  private event: string | undefined;
  private id: string | undefined;

  /** Feeds one line; returns an event when the line ends one. */
  line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    return undefined;
  }

  dispatch(): SseEvent | undefined {
    const { data, event, id } = this;
    this.data = [];
    this.event = undefined;
    if (data.length === 0) return undefined;
    const out: SseEvent = { data: data.join('\n') };
    if (event !== undefined && event !== '') out.event = event;
    if (id !== undefined) out.id = id;
    return out;
  }
}

/**
 * Parses a Server-Sent-Events body incrementally. Handles LF/CRLF/CR line ends, multi-line data,
 * comments, and events or UTF-8 characters split across chunks. Unlike the browser, an event that
 * is not followed by a blank line before the stream ends is still delivered (some servers omit it).
 * Stopping the iteration early cancels the stream.
 */
export async function* parseSse(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<SseEvent, void, undefined> {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  const lines = new LineSplitter();
  const builder = new EventBuilder();
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      done = chunk.done;
      const text = done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      for (const line of lines.push(text, done)) {
        const event = builder.line(line);
        if (event !== undefined) yield event;
      }
    }
    const last = builder.dispatch();
    if (last !== undefined) yield last;
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
