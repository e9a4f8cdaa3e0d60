import type { Readable } from 'node:stream';

/** Metadata stored beside an object; values are plain strings. */
export type ObjectMetadata = Record<string, string>;

export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string;
  metadata: ObjectMetadata;
  createdAt: Date;
}

export interface PutOptions {
  contentType?: string;
  metadata?: ObjectMetadata;
  /** Refuse bodies larger than this many bytes (checked while streaming). */
  maxBytes?: number;
}

export interface ObjectStore {
  readonly kind: 'fs' | 's3';
  put(key: string, body: Readable | Uint8Array, options?: PutOptions): Promise<ObjectInfo>;
  /** The object's content and info, or null when it does not exist. */
  get(key: string): Promise<{ body: Readable; info: ObjectInfo } | null>;
  head(key: string): Promise<ObjectInfo | null>;
  /** True when an object was deleted. */
  delete(key: string): Promise<boolean>;
  /** A URL that reads the object without credentials until it expires. */
  signedUrl(key: string, expiresInSeconds: number): Promise<string>;
  /** Resolves when the store is usable; rejects with a clear error otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class ObjectStoreError extends Error {
  override readonly name = 'ObjectStoreError';
  constructor(
    readonly code: 'invalid_key' | 'too_large' | 'unavailable' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}
