/** A fenced code block (``` or ~~~) found in Markdown or Slack mrkdwn text. */
export interface Fence {
  /** Index where the opening fence line starts. */
  start: number;
  /** Index just after the opening line's newline (== end when the opener is the last line). */
  contentStart: number;
  /** Index where the closing fence line starts (== end for a fence left open). */
  contentEnd: number;
  /** Index just after the closing fence line, before its newline; text.length for an open fence. */
  end: number;
  /** The opening line as written, e.g. "  ```ts". */
  opener: string;
  /** The whitespace before the fence marker on the opening line. */
  indent: string;
  /** The fence marker, e.g. "```" or "~~~~". */
  marker: string;
  /** The info string after the marker (the language tag), trimmed. */
  info: string;
  /** Whether a closing fence was found. */
  closed: boolean;
}

const OPENER = /^([ \t]*)(`{3,}|~{3,})(.*)$/;

interface Line {
  text: string;
  start: number;
  /** Index just after the line, before its newline. */
  end: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    lines.push({ text: text.slice(start, end), start, end });
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines;
}

function isCloser(line: string, marker: string): boolean {
  const trimmed = line.trim();
  if (trimmed.length < marker.length || trimmed[0] !== marker[0]) return false;
  for (const char of trimmed) if (char !== marker[0]) return false;
  return true;
}

/**
 * Finds the fenced code blocks in `text`, in order. A fence opens with a line of three or more
 * backticks or tildes (any indentation, an optional info string) and closes with a line of at least
 * as many of the same character; a fence never closed runs to the end of the text.
 */
export function findFences(text: string): Fence[] {
  const fences: Fence[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const match = OPENER.exec(line.text);
    if (!match) continue;
    const [, indent = '', marker = '', rest = ''] = match;
    if (marker.startsWith('`') && rest.includes('`')) continue; // inline ```code``` on one line
    const contentStart = Math.min(line.end + 1, text.length);
    let closing: Line | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      const candidate = lines[j] as Line;
      if (isCloser(candidate.text, marker)) {
        closing = candidate;
        i = j;
        break;
      }
    }
    const fence: Fence = {
      start: line.start,
      contentStart,
      contentEnd: closing ? closing.start : text.length,
      end: closing ? closing.end : text.length,
      opener: line.text,
      indent,
      marker,
      info: rest.trim(),
      closed: closing !== undefined,
    };
    fences.push(fence);
    if (!closing) break;
  }
  return fences;
}
