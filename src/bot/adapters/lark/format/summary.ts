/** The most characters of a card's chat-list preview. */
export const SUMMARY_LIMIT = 60;

/**
 * A card's chat-list preview: the start of `text` as one line of plain text, Markdown markers and
 * fenced-code lines dropped, cut at `SUMMARY_LIMIT` characters with an ellipsis.
 */
export function cardSummary(text: string): string {
  const plain = text
    .replace(/^[ \t]*(?:```|~~~).*$/gm, '')
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/<[^<>\n]*>/g, '')
    .replace(/^[ \t]*(?:#{1,6}|>|[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/[*_~`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(plain);
  return chars.length <= SUMMARY_LIMIT
    ? plain
    : `${chars
        .slice(0, SUMMARY_LIMIT - 1)
        .join('')
        .trimEnd()}…`;
}
