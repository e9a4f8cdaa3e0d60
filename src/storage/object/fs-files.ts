import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hasCode } from '../../util/system-error.js';
import { byteLimit, tooLarge } from './byte-limit.js';
import { ObjectStoreError } from './types.js';

/** Errors that mean a key's path runs into another object's file or directory (`a` versus `a/b`). */
const CONFLICT = ['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY'];

/** Errors that mean the disk takes no more: full, over quota, read-only, file too big. */
const DISK_FULL = ['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG'];

/** Opens the stream a temp file is written through (a seam: tests fill the disk with it). */
export type TempWriter = (handle: FileHandle, path: string) => Writable;

export const writeToFile: TempWriter = (handle) => handle.createWriteStream();

/** A full or read-only disk as the store's `unavailable` error, which callers tell users about. */
function diskError(key: string, cause: unknown): unknown {
  if (!hasCode(cause, ...DISK_FULL)) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const error = new ObjectStoreError(
    'unavailable',
    `cannot write object "${key}": the disk takes no more (${reason})`,
  );
  error.cause = cause;
  return error;
}

function conflict(key: string, cause: unknown): ObjectStoreError {
  const error = new ObjectStoreError('invalid_key', `object key "${key}" conflicts with an existing object`);
  error.cause = cause;
  return error;
}

/**
 * Opens a new temp file beside `target` (its name has a '~', which keys cannot), making the
 * directory first; retries when a concurrent delete prunes that directory in between.
 */
async function openTemp(target: string, key: string): Promise<{ path: string; handle: FileHandle }> {
  for (let attempt = 1; ; attempt += 1) {
    const path = join(dirname(target), `.~${randomBytes(8).toString('hex')}.tmp`);
    try {
      await mkdir(dirname(target), { recursive: true });
      return { path, handle: await open(path, 'wx', 0o644) };
    } catch (error) {
      if (hasCode(error, 'ENOENT') && attempt < 3) continue;
      throw hasCode(error, ...CONFLICT) ? conflict(key, error) : error;
    }
  }
}

/**
 * Streams `body` into `target` atomically: a temp file, then a rename. On failure nothing is left,
 * and a full disk is an ObjectStoreError `unavailable`.
 */
export async function writeAtomically(
  root: string,
  target: string,
  key: string,
  body: Readable | Uint8Array,
  maxBytes?: number,
  writer: TempWriter = writeToFile,
): Promise<void> {
  if (body instanceof Uint8Array && maxBytes !== undefined && body.byteLength > maxBytes) {
    throw tooLarge(key, maxBytes);
  }
  const source =
    body instanceof Uint8Array
      ? Readable.from(body.byteLength > 0 ? [Buffer.from(body.buffer, body.byteOffset, body.byteLength)] : [])
      : body;
  const temp = await openTemp(target, key).catch(async (error: unknown) => {
    if (!(body instanceof Uint8Array)) body.destroy();
    await pruneEmptyDirs(root, dirname(target));
    throw diskError(key, error);
  });
  try {
    const out = writer(temp.handle, temp.path);
    await (maxBytes === undefined ? pipeline(source, out) : pipeline(source, byteLimit(maxBytes, key), out));
    await rename(temp.path, target).catch((error: unknown) => {
      throw hasCode(error, ...CONFLICT) ? conflict(key, error) : error;
    });
  } catch (error) {
    await temp.handle.close().catch(() => undefined);
    await rm(temp.path, { force: true });
    await pruneEmptyDirs(root, dirname(target));
    throw diskError(key, error);
  }
}

/** Removes `dir` and its parents while they are empty, stopping at `root`. */
export async function pruneEmptyDirs(root: string, dir: string): Promise<void> {
  for (let current = dir; current.startsWith(`${root}${sep}`); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}
