import { ObjectStoreError } from './types.js';

export const MAX_KEY_LENGTH = 512;
const MAX_SEGMENT_LENGTH = 255;
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * True for keys made of '/'-joined segments of [A-Za-z0-9._-] (no '.' or '..' segments, no empty
 * segment, no leading '/'), at most 512 characters. Such keys map safely onto paths and URLs.
 */
export function isValidObjectKey(key: string): boolean {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  return key
    .split('/')
    .every((s) => s.length <= MAX_SEGMENT_LENGTH && SEGMENT.test(s) && s !== '.' && s !== '..');
}

/** Throws ObjectStoreError('invalid_key') unless the key is valid; returns its segments. */
export function objectKeySegments(key: string): string[] {
  if (!isValidObjectKey(key)) {
    const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
    throw new ObjectStoreError(
      'invalid_key',
      `invalid object key ${JSON.stringify(shown)}: use up to ${MAX_KEY_LENGTH} characters of '/'-separated segments of A-Z a-z 0-9 . _ - (no '.' or '..' segments)`,
    );
  }
  return key.split('/');
}
