import { RESTART_CHUNK } from '../../../../inference/types.js';

/** A platform's own streaming message (Slack: chat.startStream / appendStream / stopStream). */
export interface NativeStream {
  /** Sends text at once: starts the stream the first time, appends afterwards. */
  append(markdown: string): Promise<void>;
  /** Sends the last text and ends the stream. */
  stop(markdown: string): Promise<void>;
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
 * Streams natively: the first text goes out as soon as there is some, later text at most once
 * per `intervalMs`. A platform error ends in a fallback outcome (nothing is lost: the caller
 * continues with `pending` and the rest of `source`); an error of the source is rethrown after
 * the stream was ended.
 */
export async function streamNatively(
  source: AsyncIterator<string>,
  stream: NativeStream,
  intervalMs: number,
): Promise<NativeOutcome> {
  let delivered = '';
  let pending = '';
  let sentAt = 0;
  const fallback = async (error: unknown): Promise<NativeOutcome> => {
    await stream.abandon();
    return { kind: 'fallback', delivered, pending, error };
  };

  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await source.next();
    } catch (error) {
      if (delivered !== '' || pending.trim() !== '') await stream.stop(pending).catch(() => stream.abandon());
      throw error;
    }
    if (next.done) break;
    if (next.value === RESTART_CHUNK) {
      // A stream only appends: end it, and the caller rewrites the message by editing it.
      if (stream.ts !== undefined) await stream.stop('').catch(() => stream.abandon());
      return { kind: 'restart', ts: stream.ts };
    }
    pending += next.value;
    const due = delivered === '' ? pending.trim() !== '' : Date.now() - sentAt >= intervalMs;
    if (!due) continue;
    try {
      await stream.append(pending);
    } catch (error) {
      return fallback(error);
    }
    delivered += pending;
    pending = '';
    sentAt = Date.now();
  }
  if (delivered === '' && pending.trim() === '') return { kind: 'done', text: '' };
  try {
    await stream.stop(pending);
  } catch (error) {
    return fallback(error);
  }
  return { kind: 'done', text: delivered + pending };
}
