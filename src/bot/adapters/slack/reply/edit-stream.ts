import type { Logger } from '../../../../log/logger.js';
import type { ReplySink } from '../../shared/stream/reply-sink.js';
import { streamReply } from '../../shared/stream/reply-stream.js';

/** Where a post-then-edit answer goes: a new message, then edits of it. */
export interface EditTarget {
  /** Posts a new message; resolves with its ts. */
  post(text: string): Promise<string>;
  update(ts: string, text: string): Promise<void>;
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

/** Sinks that post a message and edit it; the first one edits `existingTs` if given. */
export function editSinks(target: EditTarget, existingTs?: string): () => ReplySink {
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
      finish: show,
      abandon: async () => {},
    };
  };
}

/**
 * Post-then-edit through the shared reply stream: the first text is posted, then the message is
 * edited at most once per `intervalMs` (a failed edit is tried again with the next one), and long
 * answers go on in new messages. `initial` is text already received but not yet shown (after a
 * failed native stream). `existingTs` is a message to edit rather than post (a native stream whose
 * answer starts over). RESTART_CHUNK rewrites the same message. Resolves with everything received,
 * `initial` included; rejects when a message cannot be posted.
 */
export async function streamByEditing(
  source: AsyncIterator<string>,
  target: EditTarget,
  settings: EditSettings,
  initial = '',
  existingTs?: string,
): Promise<string> {
  const outcome = await streamReply(
    source,
    editSinks(target, existingTs),
    { ...settings, restart: 'in-place', retryUpdates: true },
    initial,
  );
  if (outcome.kind === 'fallback') throw outcome.error;
  return outcome.kind === 'done' ? outcome.text : '';
}
