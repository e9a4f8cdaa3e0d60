import { splitAtSafePoints } from '../../shared/format/split.js';
import { LARK_CARD_TEXT_LIMIT } from './limits.js';

/**
 * Splits a long answer into parts of at most `limit` characters, one card each: at blank lines
 * first, then line breaks, sentence ends (`.` `!` `?` and `。` `！` `？`) and spaces, each time as late
 * as it can. A fenced code block is never cut while it fits in a part; one longer than `limit` is
 * closed at the end of a part and reopened, language tag included, in the next. Parts are never
 * blank; `[]` for blank text. Split after `larkMarkdown`, since converting changes lengths.
 *
 * The rules are Slack's splitter's, which works on Markdown; it is shared rather than copied.
 */
export function splitCardText(text: string, limit: number = LARK_CARD_TEXT_LIMIT): string[] {
  return splitAtSafePoints(text, limit);
}
