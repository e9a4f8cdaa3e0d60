import { findFences } from '../../shared/format/fences.js';
import { escapeMrkdwn } from './escape.js';
import { convertInline, stripStrongMarkers } from './inline.js';

/**
 * Converts the Markdown an LLM writes to Slack mrkdwn: `**bold**` → `*bold*`, `*italic*` → `_italic_`,
 * `~~strike~~` → `~strike~`, `[text](url)` → `<url|text>`, headings → bold lines, `-`/`*` bullets → `•`,
 * and `&`, `<`, `>` escaped outside the `<…>` links and mentions Slack renders itself.
 *
 * Code is left as written: fenced blocks lose only their language tag (Slack shows it as code) and
 * inline code spans keep their content. `&`, `<` and `>` are entity-escaped there too, which Slack
 * shows as the literal characters; left bare, a `<T>` in code could be read as a Slack link.
 */
export function toMrkdwn(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, '\n').replace(/[\ue000-\ue003]/g, '');
  const out: string[] = [];
  let at = 0;
  for (const fence of findFences(text)) {
    if (fence.start > at) out.push(convertProse(text.slice(at, fence.start)));
    out.push(convertFence(text.slice(fence.contentStart, fence.contentEnd), fence.indent));
    at = fence.end;
  }
  if (at < text.length) out.push(convertProse(text.slice(at)));
  return out.join('');
}

/** A fenced block as Slack's bare ``` fence; the content keeps its lines, less the fence's indentation. */
function convertFence(content: string, indent: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  const body = lines.map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
  return `\`\`\`\n${escapeMrkdwn(body.join('\n'))}\n\`\`\``;
}

function convertProse(prose: string): string {
  return prose.split('\n').map(convertLine).join('\n');
}

const HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const EMPTY_HEADING = /^ {0,3}#{1,6}[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^([ \t]*)[-*+][ \t]+(?:\[([ xX])\][ \t]+)?(.*)$/;
const QUOTE = /^((?:[ \t]{0,3}>[ \t]?)+)(.*)$/;

function convertLine(line: string): string {
  const heading = HEADING.exec(line);
  if (heading) {
    const title = convertInline(stripStrongMarkers(heading[1] ?? '')).trim();
    return title ? `*${title}*` : '';
  }
  if (EMPTY_HEADING.test(line)) return '';
  if (RULE.test(line)) return '──────────';
  const bullet = BULLET.exec(line);
  if (bullet) {
    const [, indent = '', task, item = ''] = bullet;
    const box = task === undefined ? '' : task === ' ' ? '☐ ' : '☑ ';
    return `${indent}• ${box}${convertInline(item)}`;
  }
  const quote = QUOTE.exec(line);
  if (quote) {
    // Slack has one quote level, and a line starting `>>>` would quote the rest of the message.
    return `> ${convertInline(quote[2] ?? '')}`.trimEnd();
  }
  return convertInline(line);
}
