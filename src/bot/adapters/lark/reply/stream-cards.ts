import { RESTART_CHUNK } from '../../../../inference/types.js';
import type { Logger } from '../../../../log/logger.js';
import type { CardSink } from './card-sink.js';

export interface CardStreamSettings {
  /** Most characters in one card, after `render`. */
  limit: number;
  /** Markdown → what the card shows (larkMarkdown). */
  render(markdown: string): string;
  /** Splits text into parts of at most `limit` characters, never inside a code block (splitCardText). */
  split(text: string, limit: number): string[];
  /** Least time between two shows of the text so far. */
  intervalMs: number;
  log: Logger;
}

export type CardOutcome =
  | { kind: 'done' }
  /** A card call failed: `pending` (raw text) was not shown; carry on another way with it and the rest. */
  | { kind: 'fallback'; pending: string; error: unknown };

/**
 * Streams an answer into cards: the first text is shown as soon as there is some, then the text
 * so far at most once per `intervalMs`, and the final text at the end. When the text outgrows a
 * card it is cut where `split` cuts (never inside a code block): the card is finished with the head
 * and the rest goes on in a new card. `initial` is text already received but not yet shown (after
 * a failed earlier attempt). A failed card call ends in a fallback outcome; an error of the source
 * is rethrown after what was received is shown as final.
 */
export async function streamToCards(
  source: AsyncIterator<string>,
  openSink: () => CardSink,
  settings: CardStreamSettings,
  initial = '',
): Promise<CardOutcome> {
  let current = initial;
  let shownRaw = '';
  let shownAt = 0;
  let sink: CardSink | undefined;

  const fits = (raw: string) => settings.render(raw).length <= settings.limit;

  /** Raw parts whose rendering fits: rendering can lengthen text, so the raw limit shrinks until it does. */
  function cardParts(raw: string): string[] {
    let rawLimit = settings.limit;
    for (;;) {
      const parts = settings.split(raw, rawLimit);
      if (parts.every(fits) || rawLimit <= settings.limit / 4) return parts;
      rawLimit = Math.floor(rawLimit * 0.9);
    }
  }

  async function finishPart(part: string): Promise<void> {
    for (const piece of settings.split(settings.render(part), settings.limit)) {
      sink ??= openSink();
      await sink.finish(piece);
      sink = undefined;
    }
    shownRaw = '';
  }

  async function flush(final: boolean): Promise<void> {
    if (final || !fits(current)) {
      const parts = cardParts(current);
      const keep = final ? 0 : 1;
      while (parts.length > keep) {
        await finishPart(parts.shift() ?? '');
        current = parts.join('\n');
      }
      if (final) {
        current = '';
        return;
      }
    }
    if (current.trim() === '') return;
    sink ??= openSink();
    await sink.show(settings.render(current));
    shownRaw = current;
    shownAt = Date.now();
  }

  async function fail(error: unknown): Promise<CardOutcome> {
    const broken = sink;
    sink = undefined;
    await broken?.abandon();
    return { kind: 'fallback', pending: current.slice(shownRaw.length), error };
  }

  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await source.next();
    } catch (error) {
      await flush(true).catch(async (flushError: unknown) => {
        settings.log.warn({ err: flushError }, 'could not show the partial answer');
        await sink?.abandon();
      });
      throw error;
    }
    if (next.done) break;
    if (next.value === RESTART_CHUNK) {
      // The answer starts over (moved to another worker): the card shows the new text in place.
      current = '';
      shownRaw = '';
      continue;
    }
    current += next.value;
    const due = sink === undefined ? current.trim() !== '' : Date.now() - shownAt >= settings.intervalMs;
    if (!due) continue;
    try {
      await flush(false);
    } catch (error) {
      return fail(error);
    }
  }
  try {
    await flush(true);
  } catch (error) {
    return fail(error);
  }
  return { kind: 'done' };
}
