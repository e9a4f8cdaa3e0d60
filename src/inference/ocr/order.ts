import type { OcrLine } from './types.js';

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

function top(line: OcrLine): number {
  return Math.min(...line.box.map((p) => p.y));
}
function bottom(line: OcrLine): number {
  return Math.max(...line.box.map((p) => p.y));
}
function left(line: OcrLine): number {
  return Math.min(...line.box.map((p) => p.x));
}

/**
 * Reading order: rows top to bottom, fragments within a row left to right. A fragment joins a
 * row when it overlaps the row vertically by more than half of the smaller height.
 */
export function readingRows(lines: OcrLine[]): OcrLine[][] {
  const sorted = [...lines].sort((a, b) => top(a) - top(b) || left(a) - left(b));
  const rows: { top: number; bottom: number; lines: OcrLine[] }[] = [];
  for (const line of sorted) {
    const t = top(line);
    const b = bottom(line);
    const row = rows.find((r) => {
      const overlap = Math.min(r.bottom, b) - Math.max(r.top, t);
      return overlap > 0.5 * Math.min(r.bottom - r.top, b - t);
    });
    if (row === undefined) rows.push({ top: t, bottom: b, lines: [line] });
    else {
      row.lines.push(line);
      row.top = Math.min(row.top, t);
      row.bottom = Math.max(row.bottom, b);
    }
  }
  return rows.map((r) => r.lines.sort((a, b) => left(a) - left(b)));
}

/** Joins fragments: a space between them unless both sides are CJK. */
export function joinFragments(texts: string[]): string {
  let out = '';
  for (const text of texts) {
    if (out === '') out = text;
    else if (CJK.test(out.slice(-1)) && CJK.test(text.slice(0, 1))) out += text;
    else out += ` ${text}`;
  }
  return out;
}

export function rowsText(rows: OcrLine[][]): string {
  return rows.map((row) => joinFragments(row.map((l) => l.text))).join('\n');
}
