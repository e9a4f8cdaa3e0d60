import { RESTART_CHUNK } from '../../../../inference/types.js';
import { MessageParts } from './message-parts.js';
import type { ReplyOutcome, ReplySink, ReplyStreamSettings } from './reply-sink.js';

/**
 * Streams an answer into messages (`openSink` opens the next one): the first text is shown as
 * soon as there is some that is not blank, then the text so far at most once per `intervalMs`,
 * and the final text at the end. Text that outgrows a message goes on in a new one. `initial` is
 * text already received but not yet shown (after a failed earlier attempt).
 *
 * A failed sink call ends in a fallback outcome (unless `retryUpdates` lets it be tried again);
 * an error of the source is rethrown after what was received is shown as final. RESTART_CHUNK is
 * handled as `settings.restart` says.
 */
export async function streamReply(
  source: AsyncIterator<string>,
  openSink: () => ReplySink,
  settings: ReplyStreamSettings,
  initial = '',
): Promise<ReplyOutcome> {
  const parts = new MessageParts(openSink, settings, initial);
  let total = initial;

  async function fail(error: unknown): Promise<ReplyOutcome> {
    const outcome: ReplyOutcome = {
      kind: 'fallback',
      delivered: parts.shownRaw,
      pending: parts.pending,
      error,
    };
    await parts.abandon();
    return outcome;
  }

  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await source.next();
    } catch (error) {
      await parts.flush(true).catch(async (flushError: unknown) => {
        settings.log?.warn({ err: flushError }, 'could not show the partial answer');
        await parts.abandon();
      });
      throw error;
    }
    if (next.done) break;
    if (next.value === RESTART_CHUNK) {
      // The answer starts over (moved to another worker).
      if (settings.restart === 'hand-over') return { kind: 'restart' };
      total = '';
      parts.reset();
      continue;
    }
    total += next.value;
    parts.current += next.value;
    if (!parts.due(settings.intervalMs)) continue;
    try {
      await parts.flush(false);
    } catch (error) {
      if (settings.retryUpdates !== true || !parts.started) return fail(error);
      settings.log?.warn({ err: error }, 'updating the streamed answer failed; trying again later');
    }
  }
  try {
    await parts.flush(true);
  } catch (error) {
    return fail(error);
  }
  return { kind: 'done', text: total };
}
