import { createHash } from 'node:crypto';

/** The SHA-256 digest of `data` (32 bytes). */
export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The SHA-256 digest of `data` as 64 lowercase hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
