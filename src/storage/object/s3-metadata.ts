import type { ObjectMetadata } from './types.js';

/**
 * S3 user metadata travels as `x-amz-meta-*` HTTP headers: names are lower-cased by S3 and values
 * must be printable ASCII. Values are percent-encoded on the way in and decoded on the way out, so
 * any string (a Chinese file name, a newline) round-trips and none can break a header.
 */
export function encodeMetadata(metadata: ObjectMetadata = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => [name.toLowerCase(), encodeURIComponent(value)]),
  );
}

export function decodeMetadata(metadata: Record<string, string> | undefined): ObjectMetadata {
  return Object.fromEntries(
    Object.entries(metadata ?? {}).map(([name, value]) => {
      try {
        return [name, decodeURIComponent(value)];
      } catch {
        return [name, value];
      }
    }),
  );
}
