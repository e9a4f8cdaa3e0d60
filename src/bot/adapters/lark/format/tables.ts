/** A card's markdown element renders at most this many tables. */
export const TABLES_PER_ELEMENT = 4;

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
