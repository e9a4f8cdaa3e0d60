import { pipeline, Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { byteLimit, tooLarge } from './byte-limit.js';
import { DEFAULT_CONTENT_TYPE } from './fs-info.js';
import { objectKeySegments } from './keys.js';
import { createS3Client, type S3Settings } from './s3-client.js';
import { isNotFound, unavailable } from './s3-errors.js';
import { decodeMetadata, encodeMetadata } from './s3-metadata.js';
import type { ObjectInfo, ObjectStore, PutOptions } from './types.js';

/** Presigned URLs live at most a week (SigV4's limit). */
export const MAX_PRESIGN_SECONDS = 604_800;
/** Multipart part size; lib-storage buffers at most QUEUE_SIZE parts of this at a time. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

interface HeadLike {
  ContentLength?: number | undefined;
  ContentType?: string | undefined;
  Metadata?: Record<string, string> | undefined;
  LastModified?: Date | undefined;
}

function toInfo(key: string, head: HeadLike): ObjectInfo {
  return {
    key,
    size: head.ContentLength ?? 0,
    contentType: head.ContentType ?? DEFAULT_CONTENT_TYPE,
    metadata: decodeMetadata(head.Metadata),
    createdAt: head.LastModified ?? new Date(0),
  };
}

/**
 * An ObjectStore in an S3 bucket (AWS or any S3-compatible server). Uploads stream through
 * lib-storage (one PUT for small bodies, multipart for large ones; a failed multipart upload is
 * aborted, so no half-written object becomes visible); links are presigned GETs.
 */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3';
  readonly #client: S3Client;
  readonly #signer: S3Client;
  readonly #bucket: string;

  constructor(settings: S3Settings) {
    this.#bucket = settings.bucket;
    this.#client = createS3Client(settings);
    this.#signer =
      settings.publicEndpoint === undefined
        ? this.#client
        : createS3Client(settings, settings.publicEndpoint);
  }

  async put(key: string, body: Readable | Uint8Array, options: PutOptions = {}): Promise<ObjectInfo> {
    objectKeySegments(key);
    const { maxBytes } = options;
    if (body instanceof Uint8Array && maxBytes !== undefined && body.byteLength > maxBytes) {
      throw tooLarge(key, maxBytes);
    }
    let bodyError: unknown;
    if (body instanceof Readable) body.once('error', (error) => (bodyError ??= error));
    const limited =
      body instanceof Uint8Array || maxBytes === undefined
        ? body
        : pipeline(body, byteLimit(maxBytes, key), () => undefined);
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: this.#bucket,
        Key: key,
        Body: limited,
        ContentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
        Metadata: encodeMetadata(options.metadata),
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      if (limited instanceof Readable) limited.destroy();
      if (bodyError !== undefined) throw bodyError;
      throw unavailable(this.#bucket, `store "${key}"`, error);
    }
    const info = await this.head(key);
    if (info === null)
      throw unavailable(this.#bucket, `find "${key}" after storing it`, new Error('missing'));
    return info;
  }

  async get(key: string): Promise<{ body: Readable; info: ObjectInfo } | null> {
    objectKeySegments(key);
    try {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      const body = out.Body instanceof Readable ? out.Body : Readable.from([]);
      return { body, info: toInfo(key, out) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(this.#bucket, `read "${key}"`, error);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    objectKeySegments(key);
    try {
      return toInfo(key, await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key })));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(this.#bucket, `look up "${key}"`, error);
    }
  }

  async delete(key: string): Promise<boolean> {
    // S3's DeleteObject succeeds for missing keys, so look first to answer "was anything deleted".
    if ((await this.head(key)) === null) return false;
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
      return true;
    } catch (error) {
      throw unavailable(this.#bucket, `delete "${key}"`, error);
    }
  }

  async signedUrl(key: string, expiresInSeconds: number): Promise<string> {
    objectKeySegments(key);
    if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new RangeError(`expiresInSeconds must be a positive number, got ${expiresInSeconds}`);
    }
    const expiresIn = Math.min(MAX_PRESIGN_SECONDS, Math.ceil(expiresInSeconds));
    return getSignedUrl(this.#signer, new GetObjectCommand({ Bucket: this.#bucket, Key: key }), {
      expiresIn,
    });
  }

  async ping(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }));
    } catch (error) {
      throw unavailable(this.#bucket, 'answer (HeadBucket)', error);
    }
  }

  async close(): Promise<void> {
    this.#client.destroy();
    if (this.#signer !== this.#client) this.#signer.destroy();
  }
}
