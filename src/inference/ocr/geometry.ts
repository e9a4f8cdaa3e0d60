import type { Point, RotatedRect } from './types.js';

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Convex hull (Andrew's monotone chain), counter-clockwise in y-down coordinates; no collinear points. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (
      lower.length >= 2 &&
      cross(lower[lower.length - 2] as Point, lower[lower.length - 1] as Point, p) <= 0
    )
      lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i] as Point;
    while (
      upper.length >= 2 &&
      cross(upper[upper.length - 2] as Point, upper[upper.length - 1] as Point, p) <= 0
    )
      upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/** Turns any axis pair into the canonical one: u within 45° of +x, v = u turned 90° (pointing down). */
function canonicalAxes(ux: number, uy: number): { u: Point; v: Point } {
  let x = ux;
  let y = uy;
  if (Math.abs(y) > Math.abs(x)) [x, y] = [-y, x];
  if (x < 0) [x, y] = [-x, -y];
  return { u: { x, y }, v: { x: -y, y: x } };
}

/** The rectangle with axes (u, v) that bounds the points. */
export function boundingRect(points: Point[], u: Point, v: Point): RotatedRect {
  let minU = Number.POSITIVE_INFINITY;
  let maxU = Number.NEGATIVE_INFINITY;
  let minV = Number.POSITIVE_INFINITY;
  let maxV = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    const pu = p.x * u.x + p.y * u.y;
    const pv = p.x * v.x + p.y * v.y;
    if (pu < minU) minU = pu;
    if (pu > maxU) maxU = pu;
    if (pv < minV) minV = pv;
    if (pv > maxV) maxV = pv;
  }
  return {
    origin: { x: minU * u.x + minV * v.x, y: minU * u.y + minV * v.y },
    u,
    v,
    width: maxU - minU,
    height: maxV - minV,
  };
}

/** The minimum-area enclosing rectangle (rotating calipers over the hull's edges). */
export function minAreaRect(points: Point[]): RotatedRect {
  const hull = convexHull(points);
  let best = boundingRect(hull, { x: 1, y: 0 }, { x: 0, y: 1 });
  let bestArea = best.width * best.height;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i] as Point;
    const b = hull[(i + 1) % hull.length] as Point;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length === 0) continue;
    const { u, v } = canonicalAxes((b.x - a.x) / length, (b.y - a.y) / length);
    const rect = boundingRect(hull, u, v);
    const area = rect.width * rect.height;
    if (area < bestArea - 1e-9) {
      best = rect;
      bestArea = area;
    }
  }
  return best;
}

/** Grows the rectangle by `distance` on every side (the DB "unclip" of a rectangle). */
export function expandRect(rect: RotatedRect, distance: number): RotatedRect {
  const { u, v } = rect;
  return {
    u,
    v,
    origin: {
      x: rect.origin.x - distance * (u.x + v.x),
      y: rect.origin.y - distance * (u.y + v.y),
    },
    width: rect.width + 2 * distance,
    height: rect.height + 2 * distance,
  };
}

/** The four corners, clockwise from the top-left. */
export function corners(rect: RotatedRect): [Point, Point, Point, Point] {
  const { origin: o, u, v, width: w, height: h } = rect;
  return [
    { x: o.x, y: o.y },
    { x: o.x + w * u.x, y: o.y + w * u.y },
    { x: o.x + w * u.x + h * v.x, y: o.y + w * u.y + h * v.y },
    { x: o.x + h * v.x, y: o.y + h * v.y },
  ];
}

/** Scales a rectangle from one image size to another (axes stay unit vectors). */
export function scaleRect(rect: RotatedRect, sx: number, sy: number): RotatedRect {
  const [p0, p1, , p3] = corners(rect);
  const ux = (p1.x - p0.x) * sx;
  const uy = (p1.y - p0.y) * sy;
  const vx = (p3.x - p0.x) * sx;
  const vy = (p3.y - p0.y) * sy;
  const width = Math.hypot(ux, uy);
  const height = Math.hypot(vx, vy);
  return {
    origin: { x: p0.x * sx, y: p0.y * sy },
    u: width > 0 ? { x: ux / width, y: uy / width } : rect.u,
    v: height > 0 ? { x: vx / height, y: vy / height } : rect.v,
    width,
    height,
  };
}
