import { splitAtSafePoints } from '../../shared/format/split.js';
import { cardTextBytes, LARK_CARD_TEXT_BYTES, LARK_CARD_TEXT_LIMIT } from './limits.js';
import { TABLES_PER_CARD, tableOffsets } from './tables.js';

/**
 * Splits a long answer into parts of at most `limit` characters, one card each: at blank lines
 * first, then line breaks, sentence ends (`.` `!` `?` and `。` `！` `？`) and spaces, each time as late
 * as it can. A fenced code block is never cut while it fits in a part; one longer than `limit` is
 * closed at the end of a part and reopened, language tag included, in the next. Parts are never
 * blank; `[]` for blank text. Split after `larkMarkdown`, since converting changes lengths.
 *
 * A part also holds at most TABLES_PER_CARD tables (the next one starts the next part) and at
 * most LARK_CARD_TEXT_BYTES bytes as JSON (text of 3- and 4-byte characters is cut shorter).
 *
 * The rules are Slack's splitter's, which works on Markdown; it is shared rather than copied.
 */
export function splitCardText(text: string, limit: number = LARK_CARD_TEXT_LIMIT): string[] {
  return splitAtSafePoints(text, limit).flatMap((part) => byTables(part).flatMap(byBytes));
}

/** Cuts before the table that would be one too many, as often as needed. */
function byTables(part: string): string[] {
  const parts: string[] = [];
  let rest = part;
  for (;;) {
    const cut = tableOffsets(rest)[TABLES_PER_CARD];
    if (cut === undefined || rest.slice(0, cut).trim() === '') break;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut);
  }
  if (rest.trim() !== '') parts.push(rest);
  return parts;
}

/** Splits a part that is too many bytes with a character limit it fits in. */
function byBytes(part: string): string[] {
  const bytes = cardTextBytes(part);
  if (bytes <= LARK_CARD_TEXT_BYTES) return [part];
  const limit = Math.max(1, Math.floor((part.length * LARK_CARD_TEXT_BYTES * 0.95) / bytes));
  return splitAtSafePoints(part, limit).flatMap(byBytes);
}
