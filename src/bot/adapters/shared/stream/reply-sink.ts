import type { Logger } from '../../../../log/logger.js';

/**
 * One message an answer streams into (a Slack message or native stream, a Lark card), driven by
 * `streamReply`: shown as it grows, then finished. It gets the text as the platform renders it.
 */
export interface ReplySink {
  /** Shows `text`, the message so far: sends the message the first time, updates it after. */
  show(text: string): Promise<void>;
  /** Shows `text` as the message's final content and ends it. */
  finish(text: string): Promise<void>;
  /** Ends a message that failed midway, as far as that still works. Never rejects. */
  abandon(): Promise<void>;
  /** The message is on screen (with `retryUpdates`, a failed update of it is tried again later). */
  readonly started?: boolean;
}

/** The platform's side of a reply stream: its limits, pace and rendering. */
export interface ReplyStreamSettings {
  /** Most characters in one message, after `render`; Infinity where a message has no limit. */
  limit: number;
  /** Markdown → what the message shows (Slack's toMrkdwn, Lark's larkMarkdown). */
  render(markdown: string): string;
  /**
   * Whether rendered text within `limit` fits one message by the platform's other rules (Lark: bytes
   * and tables per card); `split` must cut text into parts that do. Default: any text within `limit`.
   */
  fits?(rendered: string): boolean;
  /** Splits text into parts of at most `limit` characters, never inside a code block. */
  split(text: string, limit: number): string[];
  /** Least time between two shows of the text so far. */
  intervalMs: number;
  /**
   * What RESTART_CHUNK (the answer starts over) does: 'in-place' voids the text before it and
   * shows the new answer in the same message; 'hand-over' returns at once, leaving the message
   * to the caller (a stream that can only append).
   */
  restart: 'in-place' | 'hand-over';
  /** A failed update of a message already on screen is logged and tried again with the next one. */
  retryUpdates?: boolean;
  /** Where failures that do not end the stream are told. */
  log?: Logger;
}

export type ReplyOutcome =
  /** Everything was shown; `text` is all that was received (after the last restart). */
  | { kind: 'done'; text: string }
  /**
   * A sink call failed: `delivered` is what the open message shows, `pending` (raw) is what it
   * does not; carry on another way with `pending` and the rest of the source.
   */
  | { kind: 'fallback'; delivered: string; pending: string; error: unknown }
  /** RESTART_CHUNK with `restart: 'hand-over'`: the rest of the source is the new answer. */
  | { kind: 'restart' };
