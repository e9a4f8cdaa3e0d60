/**
 * `**bold**` that a card would show with its asterisks. Markdown only opens bold before a letter or
 * after a space or punctuation, and closes it likewise, so `说明：**注意：**后文` (bold ending in
 * punctuation, a letter right after) stays literal; Lark's docs ask for a space around the markers.
 * A space is added outside the markers only where that rule would fail.
 */
export function spaceBoldMarkers(text: string): string {
  return text.replace(BOLD, (match: string, content: string, offset: number, whole: string) => {
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + match.length] ?? '';
    const first = content[0] ?? '';
    const last = content[content.length - 1] ?? '';
    const open = WORD.test(before) && PUNCTUATION.test(first) ? ' ' : '';
    const close = WORD.test(after) && PUNCTUATION.test(last) ? ' ' : '';
    return `${open}${match}${close}`;
  });
}

const BOLD = /\*\*(?=[^\s*])([^*\n]{0,500}?[^\s*])\*\*/g;
const WORD = /[\p{L}\p{N}]/u;
/** Unicode punctuation and symbols, and the private-use placeholders that stand for code spans. */
const PUNCTUATION = /[\p{P}\p{S}\ue000]/u;
