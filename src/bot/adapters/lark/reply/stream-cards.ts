import type { ReplySink, ReplyStreamSettings } from '../../shared/stream/reply-sink.js';
import { streamReply } from '../../shared/stream/reply-stream.js';

/** Card limits, pace and rendering (LARK_CARD_TEXT_LIMIT, larkMarkdown, splitCardText). */
export type CardStreamSettings = Omit<ReplyStreamSettings, 'restart' | 'retryUpdates'>;

export type CardOutcome =
  | { kind: 'done' }
  /** A card call failed: `pending` (raw text) was not shown; carry on another way with it and the rest. */
  | { kind: 'fallback'; pending: string; error: unknown };

/**
 * Streams an answer into cards through the shared reply stream (`openSink` opens the next card):
 * long answers go on in new cards, RESTART_CHUNK shows the new answer in the same card. `initial`
 * is text already received but not yet shown (after a failed earlier attempt). A failed card call
 * ends in a fallback outcome; an error of the source is rethrown after what was received is shown.
 */
export async function streamToCards(
  source: AsyncIterator<string>,
  openSink: () => ReplySink,
  settings: CardStreamSettings,
  initial = '',
): Promise<CardOutcome> {
  const outcome = await streamReply(source, openSink, { ...settings, restart: 'in-place' }, initial);
  if (outcome.kind === 'fallback')
    return { kind: 'fallback', pending: outcome.pending, error: outcome.error };
  return { kind: 'done' };
}
