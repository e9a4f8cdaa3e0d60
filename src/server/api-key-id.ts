import { sha256 } from '../util/sha256.js';

/**
 * The one way an API key is hashed. `apiKeyDigest` is what the key check compares (in constant
 * time, against every configured key); `apiKeyId` is the stable, non-secret name derived from it
 * (the first 16 hex digits), used for per-key limits and task ownership. The raw key is never kept.
 */
export function apiKeyDigest(key: string): Buffer {
  return sha256(key);
}

/** Hex digits of the digest that name a key. */
const ID_HEX = 16;

/** The id of a key from its digest (see apiKeyDigest). */
export function apiKeyIdOf(digest: Buffer): string {
  return digest.toString('hex').slice(0, ID_HEX);
}

/** A stable, non-secret id of an API key: the first 16 hex digits of its SHA-256. */
export function apiKeyId(key: string): string {
  return apiKeyIdOf(apiKeyDigest(key));
}
