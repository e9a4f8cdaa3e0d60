import type { OcrLine, Point } from './types.js';

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

interface Placed {
  line: OcrLine;
  /** Position along the page's text direction and across it. */
  along: number;
  across: number;
  height: number;
}

function direction(line: OcrLine): Point {
  const [p0, p1] = line.box;
  const length = Math.hypot(p1.x - p0.x, p1.y - p0.y);
  return length === 0 ? { x: 1, y: 0 } : { x: (p1.x - p0.x) / length, y: (p1.y - p0.y) / length };
}

/** The page's text direction: that of its widest line (a tilted photo or scan tilts every line). */
function pageDirection(lines: OcrLine[]): Point {
  let best: OcrLine | undefined;
  let width = -1;
  for (const line of lines) {
    const [p0, p1] = line.box;
    const w = Math.hypot(p1.x - p0.x, p1.y - p0.y);
    if (w > width) {
      width = w;
      best = line;
    }
  }
  return best === undefined ? { x: 1, y: 0 } : direction(best);
}

/**
 * Reading order: rows top to bottom, fragments within a row left to right, both measured along the
 * page's text direction so that a tilted image keeps its rows apart. A fragment joins a row when
 * their centres are less than half the smaller height apart across the text direction.
 */
export function readingRows(lines: OcrLine[]): OcrLine[][] {
  const u = pageDirection(lines);
  const v = { x: -u.y, y: u.x };
  const placed: Placed[] = lines.map((line) => {
    const cx = line.box.reduce((s, p) => s + p.x, 0) / 4;
    const cy = line.box.reduce((s, p) => s + p.y, 0) / 4;
    const [p0, , , p3] = line.box;
    return {
      line,
      along: cx * u.x + cy * u.y,
      across: cx * v.x + cy * v.y,
      height: Math.hypot(p3.x - p0.x, p3.y - p0.y),
    };
  });
  placed.sort((a, b) => a.across - b.across || a.along - b.along);
  const rows: { across: number; height: number; items: Placed[] }[] = [];
  for (const item of placed) {
    const row = rows.find((r) => Math.abs(r.across - item.across) < 0.5 * Math.min(r.height, item.height));
    if (row === undefined) rows.push({ across: item.across, height: item.height, items: [item] });
    else row.items.push(item);
  }
  return rows.map((r) => r.items.sort((a, b) => a.along - b.along).map((p) => p.line));
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
