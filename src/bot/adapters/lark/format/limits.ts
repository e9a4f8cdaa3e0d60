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
