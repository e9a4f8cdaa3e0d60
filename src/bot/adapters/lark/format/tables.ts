import { findFences } from '../../shared/format/fences.js';

/**
 * The most tables teambot puts in one card. Lark refuses a card with more than five with error
 * 11310 ("card table number over limit", wrapped in 230099), and a markdown element renders four;
 * an answer with more goes on in the next card (see splitCardText).
 */
export const TABLES_PER_CARD = 4;

const DELIMITER_ROW = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

export interface TableBlock {
  /** First line (the header row), as an index into the lines. */
  start: number;
  /** Index after the last row. */
  end: number;
}

/** The Markdown tables among `lines`: a header row with `|`, a delimiter row, then non-blank rows with `|`. */
export function findTables(lines: readonly string[]): TableBlock[] {
  const tables: TableBlock[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i] as string;
    const delimiter = lines[i + 1] as string;
    if (!header.includes('|') || !delimiter.includes('|') || !DELIMITER_ROW.test(delimiter)) continue;
    let end = i + 2;
    while (end < lines.length && (lines[end] as string).includes('|') && (lines[end] as string).trim() !== '')
      end++;
    tables.push({ start: i, end });
    i = end - 1;
  }
  return tables;
}

/** Where each table of `markdown` outside code blocks starts (the index of its header row). */
export function tableOffsets(markdown: string): number[] {
  const offsets: number[] = [];
  let at = 0;
  const prose = (from: number, to: number) => {
    const lines = markdown.slice(from, to).split('\n');
    const starts: number[] = [];
    let offset = from;
    for (const line of lines) {
      starts.push(offset);
      offset += line.length + 1;
    }
    for (const table of findTables(lines)) offsets.push(starts[table.start] as number);
  };
  for (const fence of findFences(markdown)) {
    if (fence.start > at) prose(at, fence.start);
    at = fence.end;
  }
  if (at < markdown.length) prose(at, markdown.length);
  return offsets;
}
