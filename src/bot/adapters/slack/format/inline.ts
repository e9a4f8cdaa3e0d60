import { escapeLinkUrl, escapeMrkdwn } from './escape.js';

/**
 * Converts one line of Markdown inline syntax (emphasis, links, code spans) to Slack mrkdwn.
 *
 * Pieces that must come out verbatim (code spans, links, URLs, backslash escapes) are swapped for
 * placeholders `\ue000n\ue000` first, so the emphasis rules never see inside them; the caller strips
 * the private-use characters U+E000 to U+E003 from its input. Emphasis goes through sentinels
 * (U+E001 bold, U+E002 italic, U+E003 strike) so that the `*` of a converted `**bold**` is not read
 * again as italic.
 */
export function convertInline(line: string): string {
  const kept: string[] = [];
  const keep = (value: string): string => `\ue000${kept.push(value) - 1}\ue000`;

  let text = protectCodeAndEscapes(line, keep);
  text = text.replace(SLACK_TOKEN, (token) => keep(token));
  text = text.replace(AUTOLINK, (_all, url: string) => keep(`<${escapeLinkUrl(url)}>`));
  text = text.replace(HTML_BREAK, ' ');
  const unwrap = (piece: string): string =>
    piece.replace(/\ue000(\d+)\ue000/g, (_all, index: string) =>
      (kept[Number(index)] ?? '').replace(/`/g, ''),
    );
  text = text.replace(MD_LINK, (_all, label: string, url: string) => keep(slackLink(label, url, unwrap)));
  text = text.replace(BARE_URL, (url: string) => {
    const trimmed = trimUrl(url);
    return keep(escapeLinkUrl(trimmed)) + url.slice(trimmed.length);
  });
  text = convertEmphasis(escapeMrkdwn(text));
  return restore(text, kept);
}

/** Drops the bold markers of a piece that is bold as a whole (a heading). */
export function stripStrongMarkers(line: string): string {
  return line.replace(STRONG_STAR, '$1').replace(STRONG_UNDERSCORE, '$1');
}

/** `<@U123>`, `<@U123|name>`, `<#C123>`, `<#C123|general>`: mentions Slack itself renders. */
const SLACK_TOKEN = /<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+)(?:\|[^<>\n]*)?>/g;
/** CommonMark autolinks: `<https://example.com>`, `<mailto:a@b.c>`. */
const AUTOLINK = /<((?:https?:\/\/|mailto:)[^\s<>]+)>/g;
const HTML_BREAK = /<br\s*\/?>/gi;
/** `[label](url "title")` and `![alt](url)`; one level of brackets in the label, of parentheses in the URL. */
const MD_LINK =
  /!?\[((?:[^[\]\n]|\[[^[\]\n]*\])*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))+)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g;
const BARE_URL = /\bhttps?:\/\/[^\s<>\ue000]+/g;

const WORD = '[\\p{L}\\p{N}]';
/**
 * `**` may touch letters of scripts written without spaces (CJK), but not ASCII letters or digits,
 * so that `x**2 + y**2` stays arithmetic.
 */
const STRONG_STAR = /(?<![A-Za-z0-9])\*\*(?=[^\s*])(.{1,1000}?)(?<=[^\s*])\*\*(?![A-Za-z0-9])/g;
const STRONG_UNDERSCORE = new RegExp(`(?<!${WORD})__(?=\\S)(.{1,1000}?)(?<=\\S)__(?!${WORD})`, 'gu');
const STRONG_EMPHASIS = /(?<![A-Za-z0-9])\*\*\*(?=[^\s*])(.{1,1000}?)(?<=[^\s*])\*\*\*(?![A-Za-z0-9])/g;
const STRIKE = /~~(?=\S)(.{1,1000}?)(?<=\S)~~/g;
const EMPHASIS_STAR = new RegExp(
  `(?<!${WORD}|\\*)\\*(?=[^\\s*])(.{1,1000}?)(?<=[^\\s*])\\*(?!${WORD}|\\*)`,
  'gu',
);
const EMPHASIS_UNDERSCORE = new RegExp(
  `(?<!${WORD}|_)_(?=[^\\s_])(.{1,1000}?)(?<=[^\\s_])_(?!${WORD}|_)`,
  'gu',
);

const BOLD = '\ue001';
const ITALIC = '\ue002';
const STRUCK = '\ue003';

const WORD_CHAR = new RegExp(WORD, 'u');
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * A replacer wrapping the match's content in `open`/`close`; Slack only sees markers at word
 * boundaries, so a marker touching a letter or digit gets a zero-width space beside it.
 */
function wrap(open: string, close = open) {
  return (match: string, content: string, offset: number, whole: string): string => {
    const before = WORD_CHAR.test(whole[offset - 1] ?? '') ? ZERO_WIDTH_SPACE : '';
    const after = WORD_CHAR.test(whole[offset + match.length] ?? '') ? ZERO_WIDTH_SPACE : '';
    return `${before}${open}${content}${close}${after}`;
  };
}

function convertEmphasis(text: string): string {
  return text
    .replace(STRONG_EMPHASIS, wrap(BOLD + ITALIC, ITALIC + BOLD))
    .replace(STRONG_STAR, wrap(BOLD))
    .replace(STRONG_UNDERSCORE, wrap(BOLD))
    .replace(STRIKE, wrap(STRUCK))
    .replace(EMPHASIS_STAR, wrap(ITALIC))
    .replace(EMPHASIS_UNDERSCORE, wrap(ITALIC))
    .replaceAll(BOLD, '*')
    .replaceAll(ITALIC, '_')
    .replaceAll(STRUCK, '~');
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Swaps code spans and backslash-escaped punctuation for placeholders, scanning left to right. */
function protectCodeAndEscapes(line: string, keep: (value: string) => string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const char = line[i] as string;
    if (char === '\\' && i + 1 < line.length && ASCII_PUNCTUATION.test(line[i + 1] as string)) {
      out += keep(escapeMrkdwn(line[i + 1] as string));
      i += 2;
      continue;
    }
    if (char !== '`') {
      out += char;
      i++;
      continue;
    }
    let run = 1;
    while (line[i + run] === '`') run++;
    const close = findClosingRun(line, i + run, run);
    if (close === -1) {
      out += line.slice(i, i + run);
      i += run;
      continue;
    }
    out += keep(codeSpan(line.slice(i + run, close), line.slice(i, close + run)));
    i = close + run;
  }
  return out;
}

/** Index of the next run of exactly `run` backticks at or after `from`, or -1. */
function findClosingRun(line: string, from: number, run: number): number {
  let i = from;
  while (i < line.length) {
    if (line[i] !== '`') {
      i++;
      continue;
    }
    let length = 1;
    while (line[i + length] === '`') length++;
    if (length === run) return i;
    i += length;
  }
  return -1;
}

/** Slack knows only single-backtick code: ``a`b`` stays as written, since it cannot be shown otherwise. */
function codeSpan(content: string, original: string): string {
  if (content.includes('`')) return escapeMrkdwn(original);
  const inner = /^ .*[^ ].* $/.test(content) ? content.slice(1, -1) : content;
  return inner.trim() === '' ? escapeMrkdwn(original) : `\`${escapeMrkdwn(inner)}\``;
}

/**
 * `[label](url)` as `<url|label>`; a relative URL, which Slack cannot link, as `label (url)`. The
 * label may hold placeholders (code spans, escapes): `unwrap` swaps them for their plain text.
 */
function slackLink(label: string, url: string, unwrap: (piece: string) => string): string {
  const text = unwrap(escapeMrkdwn(plainLabel(label))).replace(/\|/g, '¦');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return text ? `${text} (${escapeMrkdwn(url)})` : escapeMrkdwn(url);
  const target = escapeLinkUrl(url);
  return text && text !== url ? `<${target}|${text}>` : `<${target}>`;
}

/** A link label without Markdown's emphasis markers (Slack shows link text plain). */
function plainLabel(label: string): string {
  return label.replace(/\*\*|__|~~|`/g, '').trim();
}

/** Leaves trailing punctuation and unbalanced closing parentheses out of a bare URL. */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0) {
    const char = url[end - 1] as string;
    if (/[.,;:!?'"*_~]/.test(char)) {
      end--;
      continue;
    }
    if (char === ')') {
      const body = url.slice(0, end);
      if (body.split('(').length < body.split(')').length) {
        end--;
        continue;
      }
    }
    break;
  }
  return url.slice(0, end);
}

/** Puts the kept pieces back; a link's label may itself hold a kept code span, hence the loop. */
function restore(text: string, kept: string[]): string {
  let out = text;
  for (let depth = 0; depth < 3 && out.includes('\ue000'); depth++) {
    out = out.replace(/\ue000(\d+)\ue000/g, (_all, index: string) => kept[Number(index)] ?? '');
  }
  return out;
}
