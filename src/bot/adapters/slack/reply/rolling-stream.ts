import type { Footer } from './feedback-blocks.js';
import type { NativeStream } from './native-stream.js';

/** When a streamed message ends and the answer goes on in a new one, before Slack's limits. */
export interface StreamLimits {
  /** Most characters in one streamed message (Slack: about 40,000). */
  maxChars: number;
  /** From here on the message ends at the next line break, so that it ends at a tidy place. */
  softChars: number;
  /** Most characters in one chat.appendStream (Slack: 12,000). */
  maxAppend: number;
  /** Age at which the message ends at the next text (Slack's streams expire after about 5 minutes). */
  maxAgeMs: number;
}

export const SLACK_STREAM_LIMITS: StreamLimits = {
  maxChars: 39_000,
  softChars: 36_000,
  maxAppend: 12_000,
  maxAgeMs: 4 * 60_000,
};

/** One streamed message: what `rollingStream` opens each time it needs a new one. */
export type OpenStream = () => NativeStream;

/** Cuts at `at` or just before it, never between the halves of a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff && at > 1 ? at - 1 : at;
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const at = safeCut(rest, size);
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest !== '') out.push(rest);
  return out;
}

/**
 * A native stream over as many streamed messages as the answer needs: before a message reaches
 * `maxChars` or `maxAgeMs`, it is stopped and the text goes on in a new message in the same
 * thread, cut at a line break where there is one. Appends are sent in pieces of at most
 * `maxAppend`. A message left without new text until it is `maxAgeMs` old is ended then (the
 * model paused), so it never outlives Slack's stream lifetime. The messages' texts, read in
 * order, are exactly the text sent: nothing is added, lost or repeated at a cut.
 */
export function rollingStream(
  open: OpenStream,
  limits: StreamLimits,
  now: () => number = Date.now,
): NativeStream {
  let current: NativeStream | undefined;
  let length = 0;
  let startedAt = 0;
  let lastTs: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  // The idle timer and the caller's calls take turns: one Slack call on a stream at a time.
  let turn: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work);
    turn = run.catch(() => {});
    return run;
  };

  /** Ends the open message once it is too old, should no text come before then. */
  function watchAge(): void {
    clearTimeout(timer);
    if (current === undefined) return;
    const opened = current;
    timer = setTimeout(
      () =>
        void serially(async () => {
          if (current === opened) await endMessage('');
        }).catch(() => {
          // The next call on the stream meets the same failure and reports it.
        }),
      Math.max(startedAt + limits.maxAgeMs - now(), 0),
    );
    timer.unref();
  }

  /** Where the open message has to end within `rest`, or undefined when all of `rest` fits. */
  function cutIn(rest: string): number | undefined {
    const room = limits.maxChars - length;
    if (rest.length > room) {
      const line = rest.lastIndexOf('\n', room - 1) + 1;
      return line > 0 ? line : safeCut(rest, room);
    }
    if (current === undefined) return undefined;
    if (now() - startedAt >= limits.maxAgeMs) return rest.lastIndexOf('\n') + 1;
    if (length + rest.length < limits.softChars) return undefined;
    const line = rest.lastIndexOf('\n') + 1;
    return line > 0 ? line : undefined;
  }

  async function send(text: string): Promise<void> {
    for (const piece of pieces(text, limits.maxAppend)) {
      if (current === undefined) {
        current = open();
        startedAt = now();
        watchAge();
      }
      await current.append(piece);
      length += piece.length;
      lastTs = current.ts ?? lastTs;
    }
  }

  async function endMessage(text: string, footer?: Footer): Promise<void> {
    // Nothing is left for a message of its own: the last one already ended (its footer is lost).
    if (current === undefined && text === '') return;
    const parts = pieces(text, limits.maxAppend);
    const last = parts.pop() ?? '';
    await send(parts.join(''));
    current ??= open();
    await current.stop(last, footer);
    lastTs = current.ts ?? lastTs;
    current = undefined;
    length = 0;
  }

  /** Sends `text`, ending messages where the limits say; the rest stays for the caller. */
  async function place(text: string): Promise<string> {
    let rest = text;
    for (let cut = cutIn(rest); cut !== undefined; cut = cutIn(rest)) {
      await endMessage(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    return rest;
  }

  return {
    get ts() {
      return current?.ts ?? lastTs;
    },
    append: (markdown) => serially(async () => send(await place(markdown))),
    stop: (markdown, footer) =>
      serially(async () => {
        clearTimeout(timer);
        await endMessage(await place(markdown), footer);
      }),
    abandon: () =>
      serially(async () => {
        clearTimeout(timer);
        await current?.abandon();
        current = undefined;
      }),
  };
}
