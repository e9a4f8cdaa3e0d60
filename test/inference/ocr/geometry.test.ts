import { describe, expect, it } from 'vitest';
import {
  convexHull,
  corners,
  expandRect,
  minAreaRect,
  scaleRect,
} from '../../../src/inference/ocr/geometry.js';
import type { Point } from '../../../src/inference/ocr/types.js';

function rotatedGrid(width: number, height: number, degrees: number, center: Point): Point[] {
  const a = (degrees * Math.PI) / 180;
  const points: Point[] = [];
  for (let y = 0; y <= height; y++) {
    for (let x = 0; x <= width; x++) {
      const dx = x - width / 2;
      const dy = y - height / 2;
      points.push({
        x: center.x + dx * Math.cos(a) - dy * Math.sin(a),
        y: center.y + dx * Math.sin(a) + dy * Math.cos(a),
      });
    }
  }
  return points;
}

describe('OCR geometry', () => {
  it('keeps only the corners of a filled rectangle in its convex hull', () => {
    const hull = convexHull(rotatedGrid(10, 4, 0, { x: 5, y: 2 }));
    expect(hull).toHaveLength(4);
    expect(hull).toEqual(
      expect.arrayContaining([
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 10, y: 4 },
        { x: 0, y: 4 },
      ]),
    );
  });

  it.each([0, 7, -12, 30, 60, 90])('finds the minimum-area rectangle of a line tilted by %i°', (degrees) => {
    const rect = minAreaRect(rotatedGrid(40, 8, degrees, { x: 100, y: 60 }));
    const long = Math.max(rect.width, rect.height);
    const short = Math.min(rect.width, rect.height);
    expect(long).toBeCloseTo(40, 5);
    expect(short).toBeCloseTo(8, 5);
    // u lies within 45° of +x and v is u turned a quarter clockwise (y down)
    expect(Math.abs(rect.u.x)).toBeGreaterThanOrEqual(Math.abs(rect.u.y) - 1e-9);
    expect(rect.u.x).toBeGreaterThan(0);
    expect(rect.v.x).toBeCloseTo(-rect.u.y, 12);
    expect(rect.v.y).toBeCloseTo(rect.u.x, 12);
    const c = corners(rect);
    const cx = c.reduce((s, p) => s + p.x, 0) / 4;
    const cy = c.reduce((s, p) => s + p.y, 0) / 4;
    expect(cx).toBeCloseTo(100, 5);
    expect(cy).toBeCloseTo(60, 5);
  });

  it('grows a rectangle on every side and scales it between image sizes', () => {
    const rect = minAreaRect(rotatedGrid(20, 10, 0, { x: 10, y: 5 }));
    const grown = expandRect(rect, 2);
    expect(corners(grown)[0]).toEqual({ x: -2, y: -2 });
    expect(grown.width).toBe(24);
    expect(grown.height).toBe(14);
    const scaled = scaleRect(grown, 2, 0.5);
    expect(scaled.width).toBeCloseTo(48);
    expect(scaled.height).toBeCloseTo(7);
    expect(corners(scaled)[2]).toEqual({ x: 44, y: 6 });
  });
});
