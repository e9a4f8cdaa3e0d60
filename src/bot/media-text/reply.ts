import type { MediaText } from './extract.js';
import { formatSpan } from './timestamp.js';

/** At most this many lines per attachment in a reply to an image sent alone. */
export const REPLY_MAX_LINES = 40;

function fenced(lines: string[]): string {
  // A fence inside the text would end the code block early.
  return ['```', ...lines.map((l) => l.replace(/```/g, "'''")), '```'].join('\n');
}

function describe(item: MediaText): string {
  if (item.error !== undefined) return `I couldn't read ${item.name}: ${item.error}`;
  if (item.lines.length === 0) return `I couldn't find any text in ${item.name}.`;
  const shown = item.lines
    .slice(0, REPLY_MAX_LINES)
    .map((line) =>
      item.kind === 'video' && line.firstMs !== undefined
        ? `[${formatSpan(line.firstMs, line.lastMs ?? line.firstMs)}] ${line.text}`
        : line.text,
    );
  const left = item.lines.length - shown.length;
  const more = left > 0 ? `\n(${left} more line${left === 1 ? '' : 's'} not shown)` : '';
  return `Text in ${item.name}:\n${fenced(shown)}${more}`;
}

/**
 * The short reply to an image or video sent without a question: what it says. Ends with a hint
 * that a question about it gets an answer.
 */
export function mediaOnlyReply(items: MediaText[]): string {
  const anyText = items.some((item) => item.lines.length > 0);
  const hint = anyText ? '\n\nAsk me about it and I will answer with this text in mind.' : '';
  return `${items.map(describe).join('\n\n')}${hint}`;
}
