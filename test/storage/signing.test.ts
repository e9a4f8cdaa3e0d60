import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadOrCreateSigningSecret,
  objectSignature,
  signObjectUrl,
  verifyObjectSignature,
} from '../../src/storage/object/signing.js';

const SECRET = 'k'.repeat(64);
const NOW = 1_700_000_000_000;

function signed(key: string, expiresInSeconds = 300) {
  const url = new URL(
    signObjectUrl({
      publicBaseUrl: 'https://bot.example.com/',
      key,
      expiresInSeconds,
      secret: SECRET,
      now: NOW,
    }),
  );
  return { url, expires: url.searchParams.get('expires') ?? '', sig: url.searchParams.get('sig') ?? '' };
}

describe('signed object URLs', () => {
  it('builds /files/<key>?expires=&sig= under the public base URL', () => {
    const { url, expires, sig } = signed('a/b.png');
    expect(`${url.origin}${url.pathname}`).toBe('https://bot.example.com/files/a/b.png');
    expect(Number(expires)).toBe(NOW / 1000 + 300);
    expect(sig).toBe(objectSignature('a/b.png', Number(expires), SECRET));
    expect(verifyObjectSignature('a/b.png', expires, sig, SECRET, NOW)).toBe(true);
    expect(verifyObjectSignature('a/b.png', Number(expires), sig, SECRET, NOW)).toBe(true);
  });

  it('rejects a tampered key, expiry or signature, or another secret', () => {
    const { expires, sig } = signed('a/b.png');
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    expect(verifyObjectSignature('a/c.png', expires, sig, SECRET, NOW)).toBe(false);
    expect(verifyObjectSignature('a/b.png', String(Number(expires) + 1), sig, SECRET, NOW)).toBe(false);
    expect(verifyObjectSignature('a/b.png', expires, flipped, SECRET, NOW)).toBe(false);
    expect(verifyObjectSignature('a/b.png', expires, sig.toUpperCase(), SECRET, NOW)).toBe(false);
    expect(verifyObjectSignature('a/b.png', expires, sig.slice(0, 32), SECRET, NOW)).toBe(false);
    expect(verifyObjectSignature('a/b.png', expires, '', SECRET, NOW)).toBe(false);
    expect(verifyObjectSignature('a/b.png', `${expires}.0`, sig, SECRET, NOW)).toBe(false);
    expect(verifyObjectSignature('a/b.png', expires, sig, 'other secret', NOW)).toBe(false);
  });

  it('rejects an expired signature', () => {
    const { expires, sig } = signed('a/b.png', 10);
    expect(verifyObjectSignature('a/b.png', expires, sig, SECRET, NOW + 9_999)).toBe(true);
    expect(verifyObjectSignature('a/b.png', expires, sig, SECRET, NOW + 10_000)).toBe(false);
    expect(verifyObjectSignature('a/b.png', expires, sig, SECRET, NOW + 86_400_000)).toBe(false);
  });

  it('refuses a non-positive lifetime', () => {
    expect(() => signed('a', 0)).toThrow(RangeError);
  });
});

describe('loadOrCreateSigningSecret', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const dataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teambot-secret-'));
    dirs.push(dir);
    return join(dir, 'data');
  };

  it('prefers the configured secret and writes nothing', async () => {
    const dir = await dataDir();
    expect(await loadOrCreateSigningSecret(dir, '  configured  ')).toBe('configured');
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates a 0600 secret once and reads it back afterwards', async () => {
    const dir = await dataDir();
    const first = await loadOrCreateSigningSecret(dir, '');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, '.url-signing-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first);
    expect(await loadOrCreateSigningSecret(dir)).toBe(first);
  });

  it('agrees on one secret when created concurrently', async () => {
    const dir = await dataDir();
    const secrets = await Promise.all(Array.from({ length: 10 }, () => loadOrCreateSigningSecret(dir)));
    expect(new Set(secrets).size).toBe(1);
  });

  it('refuses an empty secret file with a clear message', async () => {
    const dir = await dataDir();
    await loadOrCreateSigningSecret(dir);
    await writeFile(join(dir, '.url-signing-secret'), '\n');
    await expect(loadOrCreateSigningSecret(dir)).rejects.toThrow(/is empty/);
  });
});
