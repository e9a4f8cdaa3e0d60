import { connectedComponents } from './components.js';
import { expandRect, minAreaRect } from './geometry.js';
import type { RotatedRect } from './types.js';

export interface DbOptions {
  /** Pixels with probability above this are text (PaddleOCR: 0.3). */
  threshold: number;
  /** Boxes whose mean probability is below this are dropped (PaddleOCR: 0.6). */
  boxThreshold: number;
  /** How far boxes grow back: area × ratio / perimeter (PaddleOCR: 1.5). */
  unclipRatio: number;
  /** Most regions looked at (PaddleOCR: 1000). */
  maxCandidates: number;
  /** Shorter side below this (in map pixels) is noise (PaddleOCR: 3). */
  minSize: number;
}

export const DB_DEFAULTS: DbOptions = {
  threshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  maxCandidates: 1000,
  minSize: 3,
};

export interface DetectedBox {
  rect: RotatedRect;
  score: number;
}

/** Mean probability inside the rectangle (pixel centers inside it). */
export function rectScore(prob: Float32Array, width: number, height: number, rect: RotatedRect): number {
  const { origin: o, u, v } = rect;
  const xs = [
    o.x,
    o.x + rect.width * u.x,
    o.x + rect.width * u.x + rect.height * v.x,
    o.x + rect.height * v.x,
  ];
  const ys = [
    o.y,
    o.y + rect.width * u.y,
    o.y + rect.width * u.y + rect.height * v.y,
    o.y + rect.height * v.y,
  ];
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  let sum = 0;
  let count = 0;
  const eps = 0.5;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const pu = (x - o.x) * u.x + (y - o.y) * u.y;
      const pv = (x - o.x) * v.x + (y - o.y) * v.y;
      if (pu < -eps || pv < -eps || pu > rect.width + eps || pv > rect.height + eps) continue;
      sum += prob[y * width + x] as number;
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * DB post-processing: threshold the probability map, take each connected region's minimum-area
 * rectangle, score it by the mean probability inside, and grow it back ("unclip") by the ratio.
 * Boxes are in map coordinates.
 */
export function boxesFromMap(
  prob: Float32Array,
  width: number,
  height: number,
  options: DbOptions = DB_DEFAULTS,
): DetectedBox[] {
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = (prob[i] as number) > options.threshold ? 1 : 0;
  const boxes: DetectedBox[] = [];
  for (const component of connectedComponents(mask, width, height, options.maxCandidates)) {
    if (component.pixels < 4) continue;
    const rect = minAreaRect(component.extremes);
    if (Math.min(rect.width, rect.height) < options.minSize) continue;
    const score = rectScore(prob, width, height, rect);
    if (score < options.boxThreshold) continue;
    const distance = (rect.width * rect.height * options.unclipRatio) / (2 * (rect.width + rect.height));
    const grown = expandRect(rect, distance);
    if (Math.min(grown.width, grown.height) < options.minSize + 2) continue;
    boxes.push({ rect: grown, score });
  }
  return boxes;
}
