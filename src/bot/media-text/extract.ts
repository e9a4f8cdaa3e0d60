import { OcrError } from '../../inference/ocr/errors.js';
import type { ImageTextReader } from '../../inference/ocr/types.js';
import { type Keyframe, readVideoText } from '../../inference/ocr/video.js';

/** What the media handler has after storing an attachment: the image's bytes, or a video's keyframes. */
export type MediaInput =
  | { kind: 'image'; name: string; data: Uint8Array }
  | { kind: 'video'; name: string; keyframes: Keyframe[] };

export interface MediaTextLine {
  text: string;
  /** For video: first and last keyframe the line was read in. */
  firstMs?: number;
  lastMs?: number;
}

export interface MediaText {
  kind: 'image' | 'video';
  name: string;
  lines: MediaTextLine[];
  /** Why the attachment could not be read (bad image, OCR unavailable); lines are then empty. */
  error?: string;
}

/**
 * Reads the text of each attachment with the reader. An attachment OCR cannot read becomes an
 * entry with `error` (the answer can still say so) rather than failing the whole message; an
 * abort or an unexpected failure propagates.
 */
export async function extractMediaText(
  reader: ImageTextReader,
  media: MediaInput[],
  signal?: AbortSignal,
): Promise<MediaText[]> {
  const result: MediaText[] = [];
  for (const item of media) {
    try {
      if (item.kind === 'image') {
        const read = await reader.read(item.data, signal);
        result.push({ kind: 'image', name: item.name, lines: read.lines.map((l) => ({ text: l.text })) });
      } else {
        const read = await readVideoText(reader, item.keyframes, signal);
        const lines = read.lines.map((l) => ({ text: l.text, firstMs: l.firstMs, lastMs: l.lastMs }));
        result.push({ kind: 'video', name: item.name, lines });
      }
    } catch (error) {
      if (!(error instanceof OcrError)) throw error;
      result.push({ kind: item.kind, name: item.name, lines: [], error: error.message });
    }
  }
  return result;
}
