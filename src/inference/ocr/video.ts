import { editDistance, normalizeForCer } from './cer.js';
import type { ImageTextReader } from './types.js';

/** A sampled video frame: the image and where it is in the video. */
export interface Keyframe {
  timestampMs: number;
  image: Uint8Array | string;
}

/** A line seen in one or more frames. */
export interface VideoTextLine {
  text: string;
  /** Timestamp of the first and the last frame it was read in. */
  firstMs: number;
  lastMs: number;
  /** In how many frames it was read. */
  frames: number;
  /** The best confidence it was read with (its text is that reading's). */
  confidence: number;
}

export interface VideoText {
  /** Lines in order of first appearance (within a frame: reading order). */
  lines: VideoTextLine[];
  frames: number;
}

/** Two readings at least this similar (1 − edit distance / longer length) are the same line. */
export const SAME_LINE_SIMILARITY = 0.8;

export function similarity(a: string, b: string): number {
  const longer = Math.max([...a].length, [...b].length);
  return longer === 0 ? 1 : 1 - editDistance(a, b) / longer;
}

/**
 * Reads every keyframe (in time order) and merges repeated lines: a line that reappears in later
 * frames, exactly or with small OCR differences, is one line spanning first to last sighting.
 */
export async function readVideoText(
  reader: ImageTextReader,
  keyframes: Keyframe[],
  signal?: AbortSignal,
): Promise<VideoText> {
  const frames = [...keyframes].sort((a, b) => a.timestampMs - b.timestampMs);
  const merged: (VideoTextLine & { key: string })[] = [];
  for (const frame of frames) {
    const result = await reader.read(frame.image, signal);
    for (const line of result.lines) {
      const key = normalizeForCer(line.text);
      if (key === '') continue;
      const same =
        merged.find((m) => m.key === key) ??
        merged.find((m) => similarity(m.key, key) >= SAME_LINE_SIMILARITY);
      if (same === undefined) {
        merged.push({
          key,
          text: line.text,
          firstMs: frame.timestampMs,
          lastMs: frame.timestampMs,
          frames: 1,
          confidence: line.confidence,
        });
        continue;
      }
      if (same.lastMs !== frame.timestampMs) same.frames++;
      same.lastMs = frame.timestampMs;
      if (line.confidence > same.confidence) {
        same.confidence = line.confidence;
        same.text = line.text;
      }
    }
  }
  return { lines: merged.map(({ key: _key, ...line }) => line), frames: frames.length };
}
