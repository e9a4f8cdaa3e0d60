import { createHash, timingSafeEqual } from 'node:crypto';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import { sha256 } from '../../../../util/sha256.js';

/** `X-Lark-Signature`: hex SHA-256 of timestamp + nonce + encrypt key + the raw body, as sent. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256').update(`${timestamp}${nonce}${encryptKey}`).update(rawBody).digest('hex');
}

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b)) && a.length === b.length;
}

/**
 * Decrypts an `encrypt` field: base64 of a 16-byte IV and AES-256-CBC ciphertext, keyed with the
 * SHA-256 of the encrypt key. The SDK's AESCipher does exactly that; a wrong key or a damaged
 * body throws.
 */
export function eventDecrypter(encryptKey: string): (encrypt: string) => unknown {
  const cipher = new AESCipher(encryptKey);
  return (encrypt) => JSON.parse(cipher.decrypt(encrypt));
}
