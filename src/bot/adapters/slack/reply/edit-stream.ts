import { RESTART_CHUNK } from '../../../../inference/types.js';
import type { Logger } from '../../../../log/logger.js';

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

/**
 * Post-then-edit: the first text is posted, then the message is edited with the text so far at
 * most once per `intervalMs`, and once more at the end. When the text outgrows `limit`, the
 * message is finished where `split` cuts (never inside a code block) and the rest continues in
 * a new message. `initial` is text already received but not yet shown (after a failed native
 * stream). `existingTs` is a message to edit rather than post (a native stream whose answer starts
 * over). RESTART_CHUNK voids what came before it. Resolves with everything received, `initial` included.
 */
export async function streamByEditing(
  source: AsyncIterator<string>,
  target: EditTarget,
  settings: EditSettings,
  initial = '',
  existingTs?: string,
): Promise<string> {
  let total = initial;
  let current = initial;
  let ts: string | undefined = existingTs;
  let shown = '';
  let shownAt = 0;

  async function show(markdown: string): Promise<void> {
    const text = settings.render(markdown);
    if (ts === undefined) ts = await target.post(text);
    else if (text !== shown) await target.update(ts, text);
    shown = text;
    shownAt = Date.now();
  }

  /** Shows a finished part: rendering can lengthen it, so it is split once more if it must be. */
  async function finishPart(markdown: string): Promise<void> {
    for (const piece of settings.split(settings.render(markdown), settings.limit)) {
      if (ts === undefined) ts = await target.post(piece);
      else if (piece !== shown) await target.update(ts, piece);
      ts = undefined;
      shown = '';
    }
  }

  async function flush(): Promise<void> {
    if (current.trim() === '') return;
    if (current.length > settings.limit) {
      const parts = settings.split(current, settings.limit);
      for (const part of parts.slice(0, -1)) await finishPart(part);
      current = parts.at(-1) ?? '';
      if (current.trim() === '') return;
    }
    await show(current);
  }

  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await source.next();
    } catch (error) {
      await flush().catch((flushError: unknown) =>
        settings.log.warn({ err: flushError }, 'could not show the partial answer'),
      );
      throw error;
    }
    if (next.done) break;
    if (next.value === RESTART_CHUNK) {
      // The answer starts over (moved to another worker): the same message shows the new text.
      total = '';
      current = '';
      continue;
    }
    total += next.value;
    current += next.value;
    if (ts === undefined || Date.now() - shownAt >= settings.intervalMs) {
      try {
        await flush();
      } catch (error) {
        // A failed edit midway is retried by the next one; a failed first post is not.
        if (ts === undefined) throw error;
        settings.log.warn({ err: error }, 'editing the streamed answer failed; trying again later');
      }
    }
  }
  await flush();
  return total;
}
