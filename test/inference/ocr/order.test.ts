import { describe, expect, it } from 'vitest';
import { joinFragments, readingRows, rowsText } from '../../../src/inference/ocr/order.js';
import type { OcrLine } from '../../../src/inference/ocr/types.js';

/** A line box of the given width and height at (x, y), tilted by `deg`. */
function line(text: string, x: number, y: number, w: number, h: number, deg = 0): OcrLine {
  const a = (deg * Math.PI) / 180;
  const u = { x: Math.cos(a), y: Math.sin(a) };
  const v = { x: -u.y, y: u.x };
  const p = (du: number, dv: number) => ({ x: x + du * u.x + dv * v.x, y: y + du * u.y + dv * v.y });
  return {
    text,
    confidence: 1,
    detectionScore: 1,
    rotated180: false,
    box: [p(0, 0), p(w, 0), p(w, h), p(0, h)],
  };
}

describe('reading order', () => {
  it('reads rows top to bottom and fragments left to right', () => {
    const rows = readingRows([
      line('world', 120, 12, 60, 20),
      line('second', 10, 50, 80, 20),
      line('hello', 10, 10, 90, 20),
    ]);
    expect(rows.map((r) => r.map((l) => l.text))).toEqual([['hello', 'world'], ['second']]);
    expect(rowsText(rows)).toBe('hello world\nsecond');
  });

  it('keeps the rows of a tilted page apart even when the boxes overlap in y', () => {
    // Two long lines tilted by -7°: the second row's left end is higher than the first row's right end.
    const first = line('first row', 10, 200, 400, 16, -7);
    const second = line('second row', 10, 228, 400, 16, -7);
    const rows = readingRows([second, first]);
    expect(rows.map((r) => r.map((l) => l.text))).toEqual([['first row'], ['second row']]);
  });

  it('joins fragments with a space except between CJK characters', () => {
    expect(joinFragments(['数据库', '连接失败'])).toBe('数据库连接失败');
    expect(joinFragments(['错误', 'ECONNREFUSED'])).toBe('错误 ECONNREFUSED');
    expect(joinFragments(['Error:', 'timeout'])).toBe('Error: timeout');
  });
});
