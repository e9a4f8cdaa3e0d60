import type { Raster, RotatedRect } from './types.js';

/** Text this much taller than wide is read as a vertical line, turned 90° counter-clockwise (as PaddleOCR). */
export const VERTICAL_RATIO = 1.5;

export function turn90(rect: RotatedRect): RotatedRect {
  const { origin: o, u, v } = rect;
  return {
    origin: { x: o.x + rect.width * u.x, y: o.y + rect.width * u.y },
    u: v,
    v: { x: -u.x, y: -u.y },
    width: rect.height,
    height: rect.width,
  };
}

export function turn180(rect: RotatedRect): RotatedRect {
  const { origin: o, u, v } = rect;
  return {
    origin: { x: o.x + rect.width * u.x + rect.height * v.x, y: o.y + rect.width * u.y + rect.height * v.y },
    u: { x: -u.x, y: -u.y },
    v: { x: -v.x, y: -v.y },
    width: rect.width,
    height: rect.height,
  };
}

/** The rectangle as the recognizer reads it: vertical text turned to run left to right. */
export function readingRect(rect: RotatedRect): RotatedRect {
  return rect.height >= rect.width * VERTICAL_RATIO ? turn90(rect) : rect;
}

/**
 * Samples the rotated rectangle into an outWidth × outHeight RGB raster: bilinear, with s × s
 * supersampling when shrinking (no aliasing on large text), edges clamped.
 */
export function sampleRect(src: Raster, rect: RotatedRect, outWidth: number, outHeight: number): Raster {
  const out = new Uint8Array(outWidth * outHeight * 3);
  const sx = rect.width / outWidth;
  const sy = rect.height / outHeight;
  const s = Math.min(4, Math.max(1, Math.ceil(Math.max(sx, sy))));
  const { origin: o, u, v } = rect;
  const maxX = src.width - 1;
  const maxY = src.height - 1;
  const acc = [0, 0, 0];
  for (let j = 0; j < outHeight; j++) {
    for (let i = 0; i < outWidth; i++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let b = 0; b < s; b++) {
        const fv = (j + (b + 0.5) / s) * sy;
        for (let a = 0; a < s; a++) {
          const fu = (i + (a + 0.5) / s) * sx;
          const x = Math.min(maxX, Math.max(0, o.x + fu * u.x + fv * v.x));
          const y = Math.min(maxY, Math.max(0, o.y + fu * u.y + fv * v.y));
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const x1 = Math.min(maxX, x0 + 1);
          const y1 = Math.min(maxY, y0 + 1);
          const wx = x - x0;
          const wy = y - y0;
          const p00 = (y0 * src.width + x0) * 3;
          const p10 = (y0 * src.width + x1) * 3;
          const p01 = (y1 * src.width + x0) * 3;
          const p11 = (y1 * src.width + x1) * 3;
          for (let c = 0; c < 3; c++) {
            const top = (src.data[p00 + c] as number) * (1 - wx) + (src.data[p10 + c] as number) * wx;
            const bottom = (src.data[p01 + c] as number) * (1 - wx) + (src.data[p11 + c] as number) * wx;
            acc[c] = (acc[c] as number) + top * (1 - wy) + bottom * wy;
          }
        }
      }
      const n = s * s;
      const p = (j * outWidth + i) * 3;
      out[p] = Math.round((acc[0] as number) / n);
      out[p + 1] = Math.round((acc[1] as number) / n);
      out[p + 2] = Math.round((acc[2] as number) / n);
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}

/**
 * Writes a crop into a batch tensor's slot (NCHW, BGR, scaled to -1..1), left-aligned in a slot
 * `slotWidth` wide; the rest of the slot stays 0 (PaddleOCR's padding).
 */
export function writeNormalized(crop: Raster, target: Float32Array, slot: number, slotWidth: number): void {
  const height = crop.height;
  const plane = height * slotWidth;
  const base = slot * 3 * plane;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < crop.width && x < slotWidth; x++) {
      const p = (y * crop.width + x) * 3;
      for (let c = 0; c < 3; c++) {
        target[base + c * plane + y * slotWidth + x] = (crop.data[p + (2 - c)] as number) / 127.5 - 1;
      }
    }
  }
}
