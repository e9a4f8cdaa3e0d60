import { upsideDownProbability } from './classify.js';
import { turn180 } from './crop.js';
import type { Decoded } from './ctc.js';
import type { Raster, RotatedRect } from './types.js';

/** Above this the crop is turned without a second look (PaddleOCR's cls_thresh). */
export const TURN_THRESHOLD = 0.9;
/** Between this and TURN_THRESHOLD the classifier is unsure: both ways are read, the likelier kept. */
export const DOUBT_THRESHOLD = 0.3;

export interface Oriented {
  decoded: Decoded;
  rotated180: boolean;
}

type Recognizer = (rects: RotatedRect[]) => Promise<Decoded[]>;

/**
 * Reads each rectangle the right way up: turned when the classifier is sure it is upside down, and
 * read both ways when it is unsure (dark-mode screenshots often score 0.6-0.85), keeping the reading
 * with the higher confidence.
 */
export async function readOriented(
  classify: (rects: RotatedRect[]) => Promise<number[]>,
  recognize: Recognizer,
  rects: RotatedRect[],
): Promise<Oriented[]> {
  const turned = await classify(rects);
  const first = rects.map((rect, i) => ((turned[i] as number) >= TURN_THRESHOLD ? turn180(rect) : rect));
  const doubtful = rects
    .map((_, i) => i)
    .filter((i) => (turned[i] as number) >= DOUBT_THRESHOLD && (turned[i] as number) < TURN_THRESHOLD);
  const decoded = await recognize([...first, ...doubtful.map((i) => turn180(rects[i] as RotatedRect))]);
  const result: Oriented[] = rects.map((_, i) => ({
    decoded: decoded[i] as Decoded,
    rotated180: (turned[i] as number) >= TURN_THRESHOLD,
  }));
  doubtful.forEach((index, k) => {
    const alternative = decoded[rects.length + k] as Decoded;
    if (alternative.confidence > (result[index] as Oriented).decoded.confidence) {
      result[index] = { decoded: alternative, rotated180: true };
    }
  });
  return result;
}

export function classifierFor(session: Parameters<typeof upsideDownProbability>[0], src: Raster) {
  return (rects: RotatedRect[]) => upsideDownProbability(session, src, rects);
}
