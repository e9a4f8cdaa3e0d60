import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesRouter } from '../../src/server/files-route.js';
import { FsObjectStore } from '../../src/storage/object/fs.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { serve } from './fixture.js';

const SECRET = 'test-secret-0123456789abcdef';

async function setup() {
  const dataDir = await mkdtemp(join(tmpdir(), 'teambot-files-'));
  const placeholder = new FsObjectStore({ dataDir, publicBaseUrl: 'http://unused', signingSecret: SECRET });
  const server = await serve({
    routers: [
      {
        path: '/files',
        router: filesRouter({ objects: placeholder, signingSecret: SECRET, logger: captureLogger().logger }),
      },
    ],
  });
  const store = new FsObjectStore({ dataDir, publicBaseUrl: server.url, signingSecret: SECRET });
  return { store, server };
}

describe('GET /files (signed URLs of the filesystem store)', () => {
  it('serves an object through its signed URL, with safe headers', async () => {
    const { store } = await setup();
    await store.put('ws/T1/abc.txt', Buffer.from('hello file'), { contentType: 'text/plain' });
    const url = await store.signedUrl('ws/T1/abc.txt', 60);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello file');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses tampered, foreign and expired links with 403', async () => {
    const { store, server } = await setup();
    await store.put('a/one.bin', Buffer.from('1'));
    await store.put('a/two.bin', Buffer.from('2'));
    const url = new URL(await store.signedUrl('a/one.bin', 60));
    const sig = url.searchParams.get('sig') ?? '';
    const expires = url.searchParams.get('expires') ?? '';
    const tries = [
      `${server.url}/files/a/two.bin?expires=${expires}&sig=${sig}`,
      `${server.url}/files/a/one.bin?expires=${Number(expires) + 1}&sig=${sig}`,
      `${server.url}/files/a/one.bin?expires=${expires}&sig=${'0'.repeat(64)}`,
      `${server.url}/files/a/one.bin?expires=${expires}`,
      `${server.url}/files/a/one.bin?expires=1000&sig=${sig}`,
    ];
    for (const attempt of tries) {
      const res = await fetch(attempt);
      expect(res.status, attempt).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'This link is invalid or has expired.',
      );
    }
  });

  it('answers 404 for a validly signed link to a deleted object', async () => {
    const { store } = await setup();
    await store.put('gone.txt', Buffer.from('x'));
    const url = await store.signedUrl('gone.txt', 60);
    await store.delete('gone.txt');
    expect((await fetch(url)).status).toBe(404);
  });
});
