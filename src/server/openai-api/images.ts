import type { ImageInput } from '../../inference/types.js';
import { MediaError } from '../../storage/media/errors.js';
import { FetchRefusedError } from '../../util/ssrf/errors.js';
import { type GuardedFetchOptions, guardedFetch } from '../../util/ssrf/guarded-fetch.js';

/** How /v1 turns image_url parts into images (API_IMAGE_* settings). */
export interface ImageLoading {
  /** Image parts one request may carry. */
  maxImages: number;
  /** The SSRF guard's settings (private addresses, size cap, timeout, redirects; resolver and connect step). */
  fetch: Omit<GuardedFetchOptions, 'signal' | 'accept'>;
  /** Sniffs and sanitizes the bytes as the media service does (not an image → MediaError). */
  sanitize: (bytes: Uint8Array) => Promise<{ data: Buffer; contentType: string }>;
}

/** An image part that cannot be used; the message is for the API client. */
export class BadImageError extends Error {
  override readonly name = 'BadImageError';
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),/i;

function decodeDataUrl(url: string, maxBytes: number): Buffer {
  const head = DATA_URL.exec(url);
  if (head === null || !/;base64$/i.test(head[2] ?? ''))
    throw new BadImageError('Image data URLs must be base64 (data:image/png;base64,…).');
  const payload = url.slice(head[0].length);
  if (Math.floor((payload.length * 3) / 4) > maxBytes + 2)
    throw new BadImageError(`The image is larger than ${Math.floor(maxBytes / 1024)} KiB.`);
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(payload))
    throw new BadImageError('The image data URL is not valid base64.');
  return Buffer.from(payload, 'base64');
}

/**
 * One image part → the sanitized image: a `data:` URL decoded, an http(s) URL fetched through the SSRF
 * guard; then sniffed and re-encoded by the media service. Any failure is a BadImageError.
 */
export async function loadImage(
  url: string,
  loading: ImageLoading,
  signal?: AbortSignal,
): Promise<ImageInput> {
  let bytes: Uint8Array;
  try {
    bytes = /^data:/i.test(url)
      ? decodeDataUrl(url, loading.fetch.maxBytes)
      : (await guardedFetch(url, { ...loading.fetch, signal, accept: 'image/*' })).data;
  } catch (error) {
    if (error instanceof FetchRefusedError) throw new BadImageError(error.message);
    throw error;
  }
  try {
    const image = await loading.sanitize(bytes);
    return { data: image.data, mimeType: image.contentType };
  } catch (error) {
    if (error instanceof MediaError) throw new BadImageError(error.message);
    throw error;
  }
}
