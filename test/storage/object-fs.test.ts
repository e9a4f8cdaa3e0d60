import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { filesRouter } from '../../src/server/files-route.js';
import { createObjectStore } from '../../src/storage/object/factory.js';
import { FsObjectStore } from '../../src/storage/object/fs.js';
import { verifyObjectSignature } from '../../src/storage/object/signing.js';
import { ObjectStoreError } from '../../src/storage/object/types.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { serve } from '../server/fixture.js';
import { describeObjectStoreConformance } from './object-conformance.js';

const dirs: string[] = [];
async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-objects-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Files (and empty directories, with a trailing '/') under `root`, relative to it. */
async function entries(root: string): Promise<string[]> {
  const found = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const all = found.map((e) => ({ path: relative(root, join(e.parentPath, e.name)), dir: e.isDirectory() }));
  return all
    .filter((e) => !e.dir || !all.some((other) => other.path.startsWith(`${e.path}/`)))
    .map((e) => (e.dir ? `${e.path}/` : e.path));
}

const SECRET = 'test-secret-for-signing';

describeObjectStoreConformance('FsObjectStore', async () => {
  const dataDir = await tempDataDir();
  const placeholder = new FsObjectStore({ dataDir, publicBaseUrl: 'http://unused', signingSecret: SECRET });
  const logger = captureLogger().logger;
  const server = await serve({
    routers: [
      { path: '/files', router: filesRouter({ objects: placeholder, signingSecret: SECRET, logger }) },
    ],
  });
  const store = new FsObjectStore({ dataDir, publicBaseUrl: `${server.url}/`, signingSecret: SECRET });
  return {
    store,
    storedKeys: async () => {
      const keys = [
        ...(await entries(join(dataDir, 'objects'))),
        ...(await entries(join(dataDir, 'objects-meta'))),
      ];
      return [...new Set(keys)].sort();
    },
  };
});

describe('FsObjectStore', () => {
  it('signs URLs under /files/ with an HMAC that verifies until it expires', async () => {
    const store = new FsObjectStore({
      dataDir: await tempDataDir(),
      publicBaseUrl: 'http://teambot.test:3000/',
      signingSecret: SECRET,
    });
    await store.put('media/cat.png', Buffer.from('png'));
    const url = new URL(await store.signedUrl('media/cat.png', 60));
    expect(url.origin).toBe('http://teambot.test:3000');
    expect(url.pathname).toBe('/files/media/cat.png');
    const expires = url.searchParams.get('expires') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    expect(Number(expires) * 1000).toBeGreaterThan(Date.now() + 55_000);
    expect(Number(expires) * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyObjectSignature('media/cat.png', expires, sig, SECRET)).toBe(true);
    expect(verifyObjectSignature('media/cat.png', expires, sig, SECRET, Number(expires) * 1000)).toBe(false);
    expect(verifyObjectSignature('media/dog.png', expires, sig, SECRET)).toBe(false);
  });

  it('keeps content under objects/ and info in a separate objects-meta/ tree', async () => {
    const dataDir = await tempDataDir();
    const store = await createObjectStore({ dataDir, publicBaseUrl: 'http://x', signingSecret: SECRET });
    expect(store.kind).toBe('fs');
    await store.put('a/b.txt', Buffer.from('body'), { contentType: 'text/plain', metadata: { k: 'v' } });
    expect(await readFile(join(dataDir, 'objects', 'a', 'b.txt'), 'utf8')).toBe('body');
    const meta = JSON.parse(await readFile(join(dataDir, 'objects-meta', 'a', 'b.txt'), 'utf8'));
    expect(meta).toMatchObject({ contentType: 'text/plain', metadata: { k: 'v' }, size: 4 });
    expect(typeof meta.createdAt).toBe('string');
  });

  it('allows a key and its ".json" sibling without collisions', async () => {
    const store = new FsObjectStore({
      dataDir: await tempDataDir(),
      publicBaseUrl: 'http://x',
      signingSecret: SECRET,
    });
    await store.put('doc', Buffer.from('one'), { contentType: 'text/a' });
    await store.put('doc.json', Buffer.from('two'), { contentType: 'text/b' });
    expect(await store.head('doc')).toMatchObject({ size: 3, contentType: 'text/a' });
    expect(await store.head('doc.json')).toMatchObject({ size: 3, contentType: 'text/b' });
  });

  it('reports a key that runs into another object as invalid, and frees the path after delete', async () => {
    const store = new FsObjectStore({
      dataDir: await tempDataDir(),
      publicBaseUrl: 'http://x',
      signingSecret: SECRET,
    });
    await store.put('a/b', Buffer.from('x'));
    const asFile = await store.put('a', Buffer.from('y')).catch((e: unknown) => e);
    expect(asFile).toBeInstanceOf(ObjectStoreError);
    expect(asFile).toMatchObject({ code: 'invalid_key' });
    await store.put('f', Buffer.from('x'));
    await expect(store.put('f/g', Buffer.from('y'))).rejects.toMatchObject({ code: 'invalid_key' });
    expect(await store.head('f/g')).toBeNull();
    expect(await store.delete('a/b')).toBe(true);
    await store.put('a', Buffer.from('now a file'));
    expect(await store.head('a')).toMatchObject({ size: 10 });
  });

  it('still serves an object whose info file is missing or corrupt', async () => {
    const dataDir = await tempDataDir();
    const store = new FsObjectStore({ dataDir, publicBaseUrl: 'http://x', signingSecret: SECRET });
    await store.put('x', Buffer.from('abc'), { contentType: 'text/plain' });
    await writeFile(join(dataDir, 'objects-meta', 'x'), '{not json');
    expect(await store.head('x')).toMatchObject({
      size: 3,
      contentType: 'application/octet-stream',
      metadata: {},
    });
    await rm(join(dataDir, 'objects-meta', 'x'));
    const got = await store.get('x');
    expect((await buffer(got?.body ?? Readable.from([]))).toString()).toBe('abc');
  });

  it('leaves nothing behind when the body stream fails midway', async () => {
    const dataDir = await tempDataDir();
    const store = new FsObjectStore({ dataDir, publicBaseUrl: 'http://x', signingSecret: SECRET });
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(10));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put('p/q', failing)).rejects.toThrow('client went away');
    expect(await entries(join(dataDir, 'objects'))).toEqual([]);
    expect((await stat(dataDir)).isDirectory()).toBe(true);
  });

  it('rejects ping with an unavailable error when the directory cannot be used', async () => {
    const dataDir = await tempDataDir();
    await writeFile(join(dataDir, 'file'), 'x');
    const store = new FsObjectStore({
      dataDir: join(dataDir, 'file'),
      publicBaseUrl: 'http://x',
      signingSecret: SECRET,
    });
    await expect(store.ping()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
