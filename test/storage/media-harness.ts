import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach } from 'vitest';
import { MediaError } from '../../src/storage/media/errors.js';
import { MediaService } from '../../src/storage/media/service.js';
import { DEFAULT_MEDIA_LIMITS, type MediaLimits, type MediaOrigin } from '../../src/storage/media/types.js';
import { FsObjectStore } from '../../src/storage/object/fs.js';
import type { ObjectStore } from '../../src/storage/object/types.js';
import { binaries } from '../helpers/media-fixtures.js';

export const origin: MediaOrigin = { platform: 'slack', workspace: 'T1', chat: 'C1', user: 'U1' };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

/** Every file under `root`, relative to it. */
export async function filesUnder(root: string): Promise<string[]> {
  const found = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return found
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

/** A MediaService over a fresh filesystem store (or the given one). */
export async function mediaService(limits: Partial<MediaLimits> = {}, objects?: ObjectStore) {
  const dataDir = await mkdtemp(join(tmpdir(), 'teambot-media-test-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const store = objects ?? new FsObjectStore({ dataDir, publicBaseUrl: 'http://x', signingSecret: 's' });
  const service = new MediaService({
    objects: store,
    limits: { ...DEFAULT_MEDIA_LIMITS, ...limits },
    binaries: () => binaries,
  });
  return { service, store, dataDir, stored: () => filesUnder(join(dataDir, 'objects')) };
}

export function source(name: string, data: Buffer | ReadableStream<Uint8Array>) {
  return {
    name,
    open: async () =>
      data instanceof ReadableStream
        ? data
        : new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new Uint8Array(data));
              controller.close();
            },
          }),
  };
}

/** The MediaError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function refusal(promise: Promise<unknown>): Promise<MediaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof MediaError)) throw new Error(`expected a MediaError, got ${String(error)}`);
  return error;
}
