import { readCapped } from '../../util/read-capped.js';
import type { ObjectStore } from '../object/types.js';
import { MediaError } from './errors.js';
import { processImage } from './image.js';
import { sniffType } from './sniff.js';
import type { IngestedMedia, MediaLimits } from './types.js';

/** A stored image a model may look at again: an object key, never the bytes (conversation memory keeps these). */
export interface StoredImageRef {
  key: string;
  mimeType: string;
  /** Keyframes: the frame's time in its video, and that video's media id. */
  videoTimeMs?: number;
  videoId?: string;
}

/** Key of a video's i-th keyframe, beside the video (deleted with it). */
export function keyframeKey(videoKey: string, index: number): string {
  return `${videoKey}.frame-${index}`;
}

/** Sniffs bytes from elsewhere (an API client) and sanitizes them as ingest does; anything but an image is refused. */
export async function sanitizeImage(
  bytes: Uint8Array,
  limits: MediaLimits,
): Promise<{ data: Buffer; contentType: string }> {
  if (bytes.length > limits.maxBytes.image)
    throw new MediaError('too_large', `The image is larger than ${limits.maxBytes.image} bytes.`);
  const type = await sniffType(bytes.subarray(0, 4100));
  if (type.kind !== 'image') throw new MediaError('unsupported', 'That is not an image.');
  const image = await processImage(Buffer.from(bytes), type, limits);
  return { data: image.data, contentType: image.contentType };
}

/** The sniffed MIME type of a keyframe (WebP, or JPEG when ffmpeg has no WebP encoder). */
async function frameType(data: Uint8Array): Promise<string> {
  const type = await sniffType(data.subarray(0, 4100));
  return type.kind === 'image' ? type.mime : 'image/webp';
}

/**
 * The references a model needs to see this media again: the sanitized image itself, or the video's
 * keyframes, stored beside the video (once; the same video again finds them there).
 */
export async function storeModelImages(
  objects: ObjectStore,
  media: IngestedMedia,
): Promise<StoredImageRef[]> {
  if (media.kind === 'image') return [{ key: media.key, mimeType: media.contentType }];
  if (media.kind !== 'video' || media.keyframes === undefined) return [];
  const refs: StoredImageRef[] = [];
  for (const [index, frame] of media.keyframes.entries()) {
    const key = keyframeKey(media.key, index);
    const mimeType = await frameType(frame.image);
    if ((await objects.head(key)) === null)
      await objects.put(key, frame.image, { contentType: mimeType, metadata: { kind: 'keyframe' } });
    refs.push({ key, mimeType, videoTimeMs: frame.timestampMs, videoId: media.id });
  }
  return refs;
}

/** A stored image's bytes, or undefined when it is gone (deleted, expired) or over `maxBytes`. */
export async function readStoredImage(
  objects: ObjectStore,
  key: string,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const found = await objects.get(key);
  if (found === null) return undefined;
  return readCapped(found.body, maxBytes);
}

/** Deletes a video's stored keyframes (they are numbered from 0 without gaps); true when any was. */
export async function deleteKeyframes(objects: ObjectStore, videoKey: string): Promise<boolean> {
  let index = 0;
  while (await objects.delete(keyframeKey(videoKey, index))) index++;
  return index > 0;
}
