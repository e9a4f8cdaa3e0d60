/** An 8-bit RGB image, row-major, 3 bytes a pixel. */
export interface Raster {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/**
 * A rotated rectangle: `origin` is its top-left corner, `u` the unit vector along the text (pointing
 * right, within 45° of the x axis), `v` the unit normal pointing down; `width` along u, `height` along v.
 */
export interface RotatedRect {
  origin: Point;
  u: Point;
  v: Point;
  width: number;
  height: number;
}

/** One recognized line (or line fragment). `box` is clockwise from the top-left corner. */
export interface OcrLine {
  text: string;
  /** Mean probability of the decoded characters, 0..1. */
  confidence: number;
  box: [Point, Point, Point, Point];
  /** The detector's mean probability inside the box, 0..1. */
  detectionScore: number;
  /** True when the direction classifier turned the crop by 180°. */
  rotated180: boolean;
}

export interface OcrTimings {
  decodeMs: number;
  detectMs: number;
  classifyMs: number;
  recognizeMs: number;
}

export interface OcrResult {
  /** The lines in reading order; fragments on one row are joined by a space (none between CJK). */
  text: string;
  lines: OcrLine[];
  width: number;
  height: number;
  timings: OcrTimings;
}

/** What reads the text in an image; the bot depends on this, not on the OCR pipeline. */
export interface ImageTextReader {
  read(image: Uint8Array | string, signal?: AbortSignal): Promise<OcrResult>;
}
