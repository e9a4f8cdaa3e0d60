import { describe, expect, it } from 'vitest';
import { boxesFromMap, DB_DEFAULTS, rectScore } from '../../../src/inference/ocr/db-postprocess.js';
import { corners } from '../../../src/inference/ocr/geometry.js';

/** A probability map with filled (optionally tilted) rectangles of probability `p`. */
function paint(
  width: number,
  height: number,
  shapes: { cx: number; cy: number; w: number; h: number; deg: number; p: number }[],
) {
  const map = new Float32Array(width * height);
  for (const s of shapes) {
    const a = (s.deg * Math.PI) / 180;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const du = (x - s.cx) * Math.cos(a) + (y - s.cy) * Math.sin(a);
        const dv = -(x - s.cx) * Math.sin(a) + (y - s.cy) * Math.cos(a);
        if (Math.abs(du) <= s.w / 2 && Math.abs(dv) <= s.h / 2) map[y * width + x] = s.p;
      }
    }
  }
  return map;
}

describe('DB post-processing', () => {
  it('turns each text region of the probability map into an unclipped rotated box', () => {
    const map = paint(200, 100, [
      { cx: 60, cy: 20, w: 80, h: 10, deg: 0, p: 0.9 },
      { cx: 110, cy: 70, w: 120, h: 12, deg: -8, p: 0.8 },
    ]);
    const boxes = boxesFromMap(map, 200, 100).sort((a, b) => a.rect.origin.y - b.rect.origin.y);
    expect(boxes).toHaveLength(2);
    const [first, second] = boxes as [(typeof boxes)[0], (typeof boxes)[0]];
    expect(first.score).toBeCloseTo(0.9, 2);
    // unclip: distance = area × 1.5 / perimeter of the region's rectangle (80 × 10 → about 6.7)
    const d = (80 * 10 * DB_DEFAULTS.unclipRatio) / (2 * 90);
    expect(first.rect.width).toBeCloseTo(80 + 2 * d, -0.5);
    expect(first.rect.height).toBeCloseTo(10 + 2 * d, -0.5);
    expect(Math.atan2(second.rect.u.y, second.rect.u.x) * (180 / Math.PI)).toBeCloseTo(-8, 0);
    const [p0] = corners(second.rect);
    expect(p0.x).toBeLessThan(50);
  });

  it('drops faint regions, specks and regions below the box threshold', () => {
    const map = paint(120, 60, [
      { cx: 30, cy: 15, w: 40, h: 8, deg: 0, p: 0.2 }, // under the pixel threshold
      { cx: 30, cy: 45, w: 40, h: 8, deg: 0, p: 0.5 }, // text pixels, but a weak box
      { cx: 100, cy: 30, w: 2, h: 2, deg: 0, p: 1 }, // a speck
    ]);
    expect(boxesFromMap(map, 120, 60)).toEqual([]);
    expect(boxesFromMap(map, 120, 60, { ...DB_DEFAULTS, boxThreshold: 0.4 })).toHaveLength(1);
  });

  it('scores a box by the mean probability of the pixels inside it', () => {
    const map = new Float32Array(10 * 10);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 10; y++) map[y * 10 + x] = 1;
    const rect = { origin: { x: 0, y: 0 }, u: { x: 1, y: 0 }, v: { x: 0, y: 1 }, width: 9, height: 9 };
    expect(rectScore(map, 10, 10, rect)).toBeCloseTo(0.5);
  });
});
