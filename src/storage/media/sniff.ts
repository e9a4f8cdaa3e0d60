import type { MediaKind } from './types.js';

/** file-type reads at most this many bytes of the head to decide. */
export const SNIFF_BYTES = 4100;

export interface DetectedType {
  mime: string;
  extension: string;
  kind: MediaKind;
}

const UNKNOWN: DetectedType = { mime: 'application/octet-stream', extension: 'bin', kind: 'file' };

/** The kind follows the sniffed type only: the name and the platform's claim are never trusted. */
export function kindOf(mime: string): MediaKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'file';
}

/** The type from the content's first bytes (magic numbers); unknown content is a plain file. */
export async function sniffType(head: Uint8Array): Promise<DetectedType> {
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head);
  if (found === undefined) return UNKNOWN;
  return { mime: found.mime, extension: found.ext, kind: kindOf(found.mime) };
}
