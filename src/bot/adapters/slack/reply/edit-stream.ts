import type { Logger } from '../../../../log/logger.js';
import type { ReplySink } from '../../shared/stream/reply-sink.js';
import { streamReply } from '../../shared/stream/reply-stream.js';
import type { Footer } from './feedback-blocks.js';

/** Where a post-then-edit answer goes: a new message, then edits of it. */
export interface EditTarget {
  /** Posts a new message; resolves with its ts. */
  post(text: string): Promise<string>;
  /** Edits a message; with `footer`, the text goes into section blocks with the footer under them. */
  update(ts: string, text: string, footer?: Footer): Promise<void>;
}

export interface EditSettings {
  /** Least time between two edits of one message. */
  intervalMs: number;
  /** Most characters in one message. */
  limit: number;
  /** Markdown → what the platform shows (toMrkdwn). */
  render(markdown: string): string;
  split(text: string, limit: number): string[];
  log: Logger;
}

/** The message an answer ended in, and its text. */
export interface LastMessage {
  ts: string;
  text: string;
}

/**
 * Sinks that post a message and edit it; the first one edits `existingTs` if given. `onFinish`
 * hears of each finished message (the last one heard of is where the answer ends).
 */
export function editSinks(
  target: EditTarget,
  existingTs?: string,
  onFinish?: (last: LastMessage) => void,
): () => ReplySink {
  let reuse = existingTs;
  return () => {
    let ts = reuse;
    reuse = undefined;
    let shown = '';
    async function show(text: string): Promise<void> {
      if (ts === undefined) ts = await target.post(text);
      else if (text !== shown) await target.update(ts, text);
      shown = text;
    }
    return {
      get started() {
        return ts !== undefined;
      },
      show,
      async finish(text) {
        await show(text);
        if (ts !== undefined) onFinish?.({ ts, text });
      },
      abandon: async () => {},
    };
  };
}

/**
 * Post-then-edit through the shared reply stream: the first text is posted, then the message is
 * edited at most once per `intervalMs` (a failed edit is tried again with the next one), and long
 * answers go on in new messages. `initial` is text already received but not yet shown (after a
 * failed native stream). `existingTs` is a message to edit rather than post (a native stream whose
 * answer starts over). RESTART_CHUNK rewrites the same message. `footer` (feedback buttons) goes
 * under the last message once the answer is complete. Resolves with everything received,
 * `initial` included; rejects when a message cannot be posted.
 */
export async function streamByEditing(
  source: AsyncIterator<string>,
  target: EditTarget,
  settings: EditSettings,
  initial = '',
  existingTs?: string,
  footer?: () => Promise<Footer | undefined>,
): Promise<string> {
  let last: LastMessage | undefined;
  const outcome = await streamReply(
    source,
    editSinks(target, existingTs, (message) => {
      last = message;
    }),
    { ...settings, restart: 'in-place', retryUpdates: true },
    initial,
  );
  if (outcome.kind === 'fallback') throw outcome.error;
  const blocks = last === undefined ? undefined : await footer?.();
  if (last !== undefined && blocks !== undefined) {
    await target.update(last.ts, last.text, blocks).catch((error: unknown) => {
      settings.log.warn({ err: error }, 'could not add the feedback buttons');
    });
  }
  return outcome.kind === 'done' ? outcome.text : '';
}
