import type { Logger } from '../../../../log/logger.js';
import type { ReplySink } from '../../shared/stream/reply-sink.js';
import { streamReply } from '../../shared/stream/reply-stream.js';
import type { Footer } from './feedback-blocks.js';

/** A platform's own streaming message (Slack: chat.startStream / appendStream / stopStream). */
export interface NativeStream {
  /** Sends text at once: starts the stream the first time, appends afterwards. */
  append(markdown: string): Promise<void>;
  /** Sends the last text and ends the stream, with `footer` under the message. */
  stop(markdown: string, footer?: Footer): Promise<void>;
  /** Ends a stream that failed midway, as far as that still works. */
  abandon(): Promise<void>;
  /** The streamed message, once the stream has started. */
  readonly ts: string | undefined;
}

export type NativeOutcome =
  | { kind: 'done'; text: string }
  /** The platform refused: `delivered` was shown, `pending` was not; carry on another way. */
  | { kind: 'fallback'; delivered: string; pending: string; error: unknown }
  /** The answer starts over (RESTART_CHUNK): the stream is ended; rewrite message `ts` with the rest. */
  | { kind: 'restart'; ts: string | undefined };

/**
 * A native stream as a reply sink: it only appends, so it is sent what was added to the text.
 * Its limit is infinite, so `finish` ends the answer: `footer` goes under it.
 */
export function nativeSink(stream: NativeStream, footer?: () => Promise<Footer | undefined>): ReplySink {
  let sent = 0;
  return {
    get started() {
      return stream.ts !== undefined;
    },
    async show(text) {
      await stream.append(text.slice(sent));
      sent = text.length;
    },
    async finish(text) {
      await stream.stop(text.slice(sent), await footer?.());
      sent = text.length;
    },
    abandon: () => stream.abandon(),
  };
}

/**
 * Streams natively through the shared reply stream: the first text goes out as soon as there is
 * some, later text at most once per `intervalMs`, in one message as far as the driver knows (a
 * rolling stream goes on in new messages before Slack's limits). A platform error ends in a
 * fallback outcome (nothing is lost: the caller continues with `pending` and the rest of
 * `source`); an error of the source is rethrown after the stream was ended. RESTART_CHUNK ends
 * the stream and hands its message over (`restart`).
 */
export async function streamNatively(
  source: AsyncIterator<string>,
  stream: NativeStream,
  intervalMs: number,
  log?: Logger,
  footer?: () => Promise<Footer | undefined>,
): Promise<NativeOutcome> {
  const sink = nativeSink(stream, footer);
  const outcome = await streamReply(source, () => sink, {
    limit: Number.POSITIVE_INFINITY,
    render: (markdown) => markdown,
    split: (text) => [text],
    intervalMs,
    restart: 'hand-over',
    log,
  });
  // A blank answer was never sent: there is nothing to show for it.
  if (outcome.kind === 'done' && outcome.text.trim() === '') return { kind: 'done', text: '' };
  if (outcome.kind !== 'restart') return outcome;
  // A stream only appends: end it, and the caller rewrites the message by editing it.
  if (stream.ts !== undefined) await stream.stop('').catch(() => stream.abandon());
  return { kind: 'restart', ts: stream.ts };
}
