import { TABLES_PER_CARD, tableOffsets } from './tables.js';

/**
 * The most characters teambot puts in one card's markdown element (one streaming card, one patched
 * interactive card).
 *
 * A card's JSON may be at most 30 KB. CJK characters take 3 bytes each in UTF-8, so 30 KB is about
 * 10,000 of them; the card's own JSON (schema, config, streaming settings, the element) is a few
 * hundred bytes, and JSON escaping grows text with quotes, backslashes and newlines (2 bytes each
 * instead of 1). 8,000 characters is at most ~24 KB of Chinese text, leaving ~6 KB for that
 * overhead; split with `splitCardText` after `larkMarkdown`, since converting changes lengths.
 */
export const LARK_CARD_TEXT_LIMIT = 8_000;

/** A card's JSON, serialized, may be at most 30 KB. */
export const LARK_CARD_BYTE_LIMIT = 30 * 1024;

/**
 * The most bytes the markdown text of one card takes as a JSON string (escapes included): the card
 * limit less room for the card's own JSON and its buttons (Stop, feedback), about 3 KB.
 */
export const LARK_CARD_TEXT_BYTES = LARK_CARD_BYTE_LIMIT - 3 * 1024;

/** Bytes `text` takes as a JSON string inside the card. */
export function cardTextBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/**
 * Whether card Markdown fits one card: at most LARK_CARD_TEXT_LIMIT characters, LARK_CARD_TEXT_BYTES
 * bytes and TABLES_PER_CARD tables (Lark's errors 230099 and 11310 otherwise).
 */
export function fitsOneCard(markdown: string): boolean {
  return (
    markdown.length <= LARK_CARD_TEXT_LIMIT &&
    cardTextBytes(markdown) <= LARK_CARD_TEXT_BYTES &&
    tableOffsets(markdown).length <= TABLES_PER_CARD
  );
}
