import type { Point } from './types.js';

/** One 8-connected region of a binary map: per row, its leftmost and rightmost pixel. */
export interface Component {
  /** Row extremes as hull candidates: enough for the convex hull of the region. */
  extremes: Point[];
  pixels: number;
}

/**
 * Labels the 8-connected regions where `mask` is set (flood fill with an explicit stack).
 * Only each row's extreme pixels are kept: the convex hull of a region is that of its row extremes.
 */
export function connectedComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  limit: number,
): Component[] {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const found: Component[] = [];
  const rowMin = new Map<number, number>();
  const rowMax = new Map<number, number>();
  for (let start = 0; start < mask.length && found.length < limit; start++) {
    if (mask[start] === 0 || seen[start] === 1) continue;
    rowMin.clear();
    rowMax.clear();
    let top = 0;
    let pixels = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const index = stack[--top] as number;
      const x = index % width;
      const y = (index - x) / width;
      pixels++;
      const min = rowMin.get(y);
      if (min === undefined || x < min) rowMin.set(y, x);
      const max = rowMax.get(y);
      if (max === undefined || x > max) rowMax.set(y, x);
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const next = ny * width + nx;
          if (mask[next] === 1 && seen[next] === 0) {
            seen[next] = 1;
            stack[top++] = next;
          }
        }
      }
    }
    const extremes: Point[] = [];
    for (const [y, x] of rowMin) {
      extremes.push({ x, y });
      const max = rowMax.get(y) as number;
      if (max !== x) extremes.push({ x: max, y });
    }
    found.push({ extremes, pixels });
  }
  return found;
}
