import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { filesRouter } from '../../src/server/files-route.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { MediaService } from '../../src/storage/media/service.js';
import { DEFAULT_MEDIA_LIMITS } from '../../src/storage/media/types.js';
import { FsObjectStore } from '../../src/storage/object/fs.js';
import { ObjectStoreError } from '../../src/storage/object/types.js';
import { testBot } from '../helpers/bot.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { useFakeEngine } from '../helpers/fake-engine.js';
import { attachment, binaries } from '../helpers/media-fixtures.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';
import { serve } from '../server/fixture.js';

const env = useFakeEngine();
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/**
 * A disk with `free` bytes left: temp files are written for real until it is full, then every
 * write fails with ENOSPC, as the kernel answers. (A tmpfs or loop mount would need privileges.)
 */
function disk(free: number) {
  const state = { free };
  const writer = (handle: FileHandle) =>
    new Writable({
      async write(chunk: Buffer, _encoding, done) {
        const fits = Math.min(chunk.length, state.free);
        if (fits > 0) await handle.write(chunk.subarray(0, fits));
        state.free -= fits;
        if (fits < chunk.length) {
          done(
            Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
              errno: -28,
            }),
          );
        } else done();
      },
      async final(done) {
        await handle.close();
        done();
      },
    });
  return { state, writer };
}

/** Every file under `root` (temp files included). */
async function files(root: string): Promise<string[]> {
  const found = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return found.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('drill: the disk under the filesystem store fills up', () => {
  it('tells the sender, leaves nothing half-written to serve, still answers text, and works once there is room', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'teambot-full-disk-'));
    dirs.push(dataDir);
    const { state, writer } = disk(4_000);
    const objects = new FsObjectStore({
      dataDir,
      publicBaseUrl: 'http://teambot.test',
      signingSecret: 's',
      writer,
    });
    const service = new MediaService({ objects, limits: DEFAULT_MEDIA_LIMITS, binaries: () => binaries });
    const bot = testBot(new MemoryKeyValueStore({ prefix: 't:' }), env.engine, {
      media: { service, linkTtlSeconds: 600 },
    });
    const router = filesRouter({ objects, signingSecret: 's', logger: captureLogger().logger });
    const http = await serve({ routers: [{ path: '/files', router: router }] });

    const reply = recordingReplier();
    await bot.pipeline.handle(
      message({ text: '', attachments: [attachment('big.log', Buffer.alloc(20_000, 97))] }),
      reply,
    );
    expect(reply.sent[0]?.text).toBe(
      "I couldn't keep `big.log`: Storage is unavailable right now, so I could not keep it. Please send it again later.",
    );
    expect(await files(join(dataDir, 'objects'))).toEqual([]); // no temp file, no partial object
    expect(await files(join(dataDir, 'objects-meta'))).toEqual([]);

    const direct = await objects.put('media/x/half', Buffer.alloc(10_000, 98)).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(ObjectStoreError);
    expect((direct as ObjectStoreError).code).toBe('unavailable');
    expect((direct as Error).message).toMatch(/disk takes no more \(ENOSPC/);
    const link = new URL(await objects.signedUrl('media/x/half', 60));
    expect((await fetch(`${http.url}${link.pathname}${link.search}`)).status).toBe(404);

    await bot.pipeline.handle(message({ text: 'still there?' }), reply);
    expect(reply.sent.at(-1)?.kind).toBe('stream');

    state.free = 1_000_000;
    await bot.pipeline.handle(
      message({ text: '', attachments: [attachment('big.log', Buffer.alloc(20_000, 97))] }),
      reply,
    );
    const stored = reply.sent.at(-1)?.text ?? '';
    expect(stored).toMatch(/^Stored file `big\.log`: /);
    const open = /\((http:\/\/teambot\.test\/files\/[^)]+)\)/.exec(stored)?.[1] ?? '';
    const served = new URL(open);
    const got = await fetch(`${http.url}${served.pathname}${served.search}`);
    expect(got.status).toBe(200);
    expect((await got.arrayBuffer()).byteLength).toBe(20_000);
  });

  it('takes the content back when the disk fills between it and its info', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'teambot-full-disk-'));
    dirs.push(dataDir);
    const { writer } = disk(5_010); // the content fits, its JSON info does not
    const objects = new FsObjectStore({
      dataDir,
      publicBaseUrl: 'http://teambot.test',
      signingSecret: 's',
      writer,
    });
    const failed = await objects.put('media/y/z', Buffer.alloc(5_000, 99)).catch((e: unknown) => e);
    expect((failed as ObjectStoreError).code).toBe('unavailable');
    expect(await objects.get('media/y/z')).toBeNull();
    expect(await files(dataDir)).toEqual([]);
  });
});
