import { constants } from 'node:fs';
import { access, mkdir, open, rm, stat, unlink } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { errorMessage } from '../../util/error-message.js';
import { hasCode } from '../../util/system-error.js';
import { pruneEmptyDirs, type TempWriter, writeAtomically } from './fs-files.js';
import { DEFAULT_CONTENT_TYPE, readInfo, type StoredInfo, toInfo } from './fs-info.js';
import { objectKeySegments } from './keys.js';
import { signObjectUrl } from './signing.js';
import type { ObjectInfo, ObjectStore, PutOptions } from './types.js';
import { ObjectStoreError } from './types.js';

export interface FsObjectStoreOptions {
  /** Objects live in `<dataDir>/objects/`, their info in `<dataDir>/objects-meta/` (same relative paths). */
  dataDir: string;
  /** Base of signed URLs (the server serves them at `/files/<key>`). */
  publicBaseUrl: string;
  signingSecret: string;
  /** How temp files are written (default: the file handle's own stream); tests inject a full disk here. */
  writer?: TempWriter;
}

const MISSING = ['ENOENT', 'ENOTDIR', 'EISDIR'];

/** An ObjectStore on the local filesystem; writes are atomic (temp file, then rename). */
export class FsObjectStore implements ObjectStore {
  readonly kind = 'fs';
  readonly #root: string;
  readonly #metaRoot: string;
  readonly #options: FsObjectStoreOptions;

  constructor(options: FsObjectStoreOptions) {
    this.#options = options;
    this.#root = resolve(options.dataDir, 'objects');
    this.#metaRoot = resolve(options.dataDir, 'objects-meta');
  }

  async put(key: string, body: Readable | Uint8Array, options: PutOptions = {}): Promise<ObjectInfo> {
    const paths = this.#paths(key);
    const writer = this.#options.writer;
    await writeAtomically(this.#root, paths.data, key, body, options.maxBytes, writer);
    const { size } = await stat(paths.data);
    const stored: StoredInfo = {
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      metadata: { ...options.metadata },
      size,
      createdAt: new Date().toISOString(),
    };
    const info = Buffer.from(JSON.stringify(stored));
    await writeAtomically(this.#metaRoot, paths.meta, key, info, undefined, writer).catch(
      async (error: unknown) => {
        // Content without its info is half an object: take it back rather than serve it.
        await rm(paths.data, { force: true });
        await pruneEmptyDirs(this.#root, dirname(paths.data));
        throw error;
      },
    );
    return toInfo(key, stored);
  }

  async get(key: string): Promise<{ body: Readable; info: ObjectInfo } | null> {
    const paths = this.#paths(key);
    const handle = await open(paths.data, 'r').catch((error: unknown) => {
      if (hasCode(error, ...MISSING)) return null;
      throw error;
    });
    if (handle === null) return null;
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        await handle.close();
        return null;
      }
      const info = await readInfo(key, paths.meta, stats.size, stats.mtime);
      return { body: handle.createReadStream(), info };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const paths = this.#paths(key);
    const stats = await stat(paths.data).catch((error: unknown) => {
      if (hasCode(error, ...MISSING)) return null;
      throw error;
    });
    if (stats === null || !stats.isFile()) return null;
    return readInfo(key, paths.meta, stats.size, stats.mtime);
  }

  async delete(key: string): Promise<boolean> {
    const paths = this.#paths(key);
    const deleted = await unlink(paths.data).then(
      () => true,
      (error: unknown) => {
        if (hasCode(error, ...MISSING, 'EPERM')) return false;
        throw error;
      },
    );
    if (deleted) await rm(paths.meta, { force: true });
    await pruneEmptyDirs(this.#root, dirname(paths.data));
    await pruneEmptyDirs(this.#metaRoot, dirname(paths.meta));
    return deleted;
  }

  async signedUrl(key: string, expiresInSeconds: number): Promise<string> {
    objectKeySegments(key);
    const { publicBaseUrl, signingSecret: secret } = this.#options;
    return signObjectUrl({ publicBaseUrl, key, expiresInSeconds, secret });
  }

  async ping(): Promise<void> {
    try {
      for (const dir of [this.#root, this.#metaRoot]) {
        await mkdir(dir, { recursive: true });
        await access(dir, constants.W_OK);
      }
    } catch (error) {
      const reason = errorMessage(error);
      throw new ObjectStoreError('unavailable', `object directory ${this.#root} is not usable: ${reason}`);
    }
  }

  async close(): Promise<void> {}

  /** Where a key's content and info live; never outside their roots. */
  #paths(key: string): { data: string; meta: string } {
    const segments = objectKeySegments(key);
    const data = resolve(this.#root, ...segments);
    const meta = resolve(this.#metaRoot, ...segments);
    if (!data.startsWith(`${this.#root}${sep}`) || !meta.startsWith(`${this.#metaRoot}${sep}`)) {
      throw new ObjectStoreError('invalid_key', `object key "${key}" points outside the object directory`);
    }
    return { data, meta };
  }
}
