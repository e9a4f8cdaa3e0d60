import { type Fence, findFences } from '../../shared/format/fences.js';
import { cardCodeLanguage } from './code-languages.js';
import { protectCodeSpans } from './code-spans.js';
import { spaceBoldMarkers } from './emphasis.js';
import { convertHtml } from './html.js';
import { convertLinks } from './links.js';

/**
 * Adapts the Markdown an LLM writes to what a card JSON 2.0 `markdown` element renders. That element
 * takes CommonMark (headings, lists, quotes, code, links, emphasis) and tables, so most text passes
 * unchanged; what it lacks is converted:
 *
 * - HTML: formatting tags become Markdown, layout tags are dropped, other tags (Lark's `<at>` too)
 *   shown literally (see convertHtml);
 * - images from URLs become links, links other than http(s)/tel become `label (url)` (convertLinks);
 * - `**bold**` ending in punctuation before a letter (common in Chinese) gets a space to render;
 * - `- [ ]` / `- [x]` task items become ☐ / ☑;
 * - fenced code starts at the line start (the card needs it there) with a language it knows.
 *
 * Tables pass unchanged: splitCardText starts a new card before one table too many.
 *
 * Code is left as written. The output of a prefix of an answer is a prefix of the output of the
 * whole, except for its last line or so, so streamed text keeps its typewriter effect; an open fence
 * is left open.
 */
export function larkMarkdown(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, '\n').replace(/\ue000/g, '');
  const out: string[] = [];
  let at = 0;
  for (const fence of findFences(text)) {
    if (fence.start > at) out.push(convertText(text.slice(at, fence.start)));
    out.push(convertFence(text, fence));
    at = fence.end;
  }
  if (at < text.length) out.push(convertText(text.slice(at)));
  return out.join('');
}

function convertFence(text: string, fence: Fence): string {
  const opener = `${fence.marker}${cardCodeLanguage(fence.info)}`;
  if (fence.contentStart >= fence.end && !fence.closed) return opener;
  const content = text.slice(fence.contentStart, fence.contentEnd);
  const body = content
    .split('\n')
    .map((line) => (line.startsWith(fence.indent) ? line.slice(fence.indent.length) : line.trimStart()))
    .join('\n');
  return fence.closed ? `${opener}\n${body}${fence.marker}` : `${opener}\n${body}`;
}

const TASK = /^([ \t]*[-*+][ \t]+)\[([ xX])\](?=[ \t])/gm;

function convertText(text: string): string {
  const { text: protectedText, restore } = protectCodeSpans(text);
  const converted = spaceBoldMarkers(convertLinks(convertHtml(protectedText))).replace(
    TASK,
    (_all, bullet: string, mark: string) => `${bullet}${mark === ' ' ? '☐' : '☑'}`,
  );
  return restore(converted);
}
