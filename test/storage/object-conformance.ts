import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { type ObjectStore, ObjectStoreError } from '../../src/storage/object/types.js';

export interface ObjectStoreUnderTest {
  /** Its signed URLs must be readable with a plain fetch (the fs store's need a running files route). */
  store: ObjectStore;
  /** Every key that has anything stored (content, info or leftovers), to prove failed writes leave nothing. */
  storedKeys(): Promise<string[]>;
}

async function rejection(promise: Promise<unknown>): Promise<ObjectStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ObjectStoreError))
    throw new Error(`expected an ObjectStoreError, got ${String(error)}`);
  return error;
}

/** The behaviour every ObjectStore shares; `make` gives a fresh, empty store. */
export function describeObjectStoreConformance(
  name: string,
  make: () => Promise<ObjectStoreUnderTest>,
): void {
  describe(`${name} (ObjectStore conformance)`, () => {
    const opened: ObjectStore[] = [];
    const open = async () => {
      const subject = await make();
      opened.push(subject.store);
      return subject;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('answers ping', async () => {
      const { store } = await open();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('stores a Buffer and gives back the same bytes with its info', async () => {
      const { store } = await open();
      const content = Buffer.from('hello, objects ✓');
      const before = Date.now();
      const info = await store.put('notes/hello.txt', content, {
        contentType: 'text/plain; charset=utf-8',
        metadata: { owner: 'U123', source: 'slack' },
      });
      expect(info).toMatchObject({
        key: 'notes/hello.txt',
        size: content.length,
        contentType: 'text/plain; charset=utf-8',
      });
      expect(info.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      const got = await store.get('notes/hello.txt');
      expect(got).not.toBeNull();
      expect(await buffer(got?.body ?? Readable.from([]))).toEqual(content);
      expect(got?.info).toEqual(info);
      expect(await store.head('notes/hello.txt')).toEqual(info);
    });

    it('stores a stream, defaults the content type, and overwrites', async () => {
      const { store } = await open();
      const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(1024, i));
      const info = await store.put('big.bin', Readable.from(chunks));
      expect(info.size).toBe(64 * 1024);
      expect(info.contentType).toBe('application/octet-stream');
      expect(info.metadata).toEqual({});
      const got = await store.get('big.bin');
      expect(await buffer(got?.body ?? Readable.from([]))).toEqual(Buffer.concat(chunks));
      await store.put('big.bin', new Uint8Array([1, 2, 3]), { contentType: 'application/x-small' });
      expect(await store.head('big.bin')).toMatchObject({ size: 3, contentType: 'application/x-small' });
      await store.put('empty', Buffer.alloc(0));
      expect(await store.head('empty')).toMatchObject({ size: 0 });
    });

    it('returns null for missing objects and deletes once', async () => {
      const { store } = await open();
      expect(await store.get('nope')).toBeNull();
      expect(await store.head('nope/deeper')).toBeNull();
      expect(await store.delete('nope')).toBe(false);
      await store.put('dir/gone.txt', Buffer.from('x'));
      expect(await store.delete('dir/gone.txt')).toBe(true);
      expect(await store.head('dir/gone.txt')).toBeNull();
      expect(await store.get('dir/gone.txt')).toBeNull();
      expect(await store.delete('dir/gone.txt')).toBe(false);
      expect(await store.head('dir')).toBeNull();
    });

    it('refuses bodies over maxBytes and leaves nothing behind', async () => {
      const { store, storedKeys } = await open();
      const streamed = await rejection(
        store.put('up/too-big.bin', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), {
          maxBytes: 1_000,
        }),
      );
      expect(streamed.code).toBe('too_large');
      const buffered = await rejection(store.put('up/too-big.bin', Buffer.alloc(1_001), { maxBytes: 1_000 }));
      expect(buffered.code).toBe('too_large');
      expect(await store.head('up/too-big.bin')).toBeNull();
      expect(await storedKeys()).toEqual([]);
      await store.put('up/fits.bin', Readable.from([Buffer.alloc(1_000)]), { maxBytes: 1_000 });
      expect(await storedKeys()).toEqual(['up/fits.bin']);
    });

    it('keeps an existing object when a replacement fails', async () => {
      const { store } = await open();
      await store.put('keep.txt', Buffer.from('original'));
      await rejection(store.put('keep.txt', Buffer.alloc(100), { maxBytes: 10 }));
      const got = await store.get('keep.txt');
      expect((await buffer(got?.body ?? Readable.from([]))).toString()).toBe('original');
    });

    it.each([
      '../x',
      '/abs',
      'a//b',
      'a/../b',
      './a',
      'a/.',
      '',
      'a/',
      'sp ace',
      'x\\y',
      `${'a'.repeat(513)}`,
      'a\nb',
    ])('rejects the invalid key %j everywhere', async (key) => {
      const { store } = await open();
      const calls = [
        () => store.put(key, Buffer.from('x')),
        () => store.get(key),
        () => store.head(key),
        () => store.delete(key),
        () => store.signedUrl(key, 60),
      ];
      for (const call of calls) expect((await rejection(call())).code).toBe('invalid_key');
    });

    it('signs URLs that read the object without credentials until they expire', async () => {
      const { store } = await open();
      const content = Buffer.from('a png, say');
      await store.put('media/cat.png', content, { contentType: 'image/png' });
      const url = await store.signedUrl('media/cat.png', 60);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(content);
      expect(res.headers.get('content-type')).toBe('image/png');

      // (Tampered links: s3rver does not check presigned signatures; the fs route's check is tested in
      // test/server/files-route.test.ts.)
      const short = await store.signedUrl('media/cat.png', 1);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect((await fetch(short)).status).toBe(403);
      await expect(store.signedUrl('media/cat.png', 0)).rejects.toThrow(RangeError);
    });

    it('round-trips metadata values that are not header-safe', async () => {
      const { store } = await open();
      const metadata = { name: '报告 "final"\r\nx: y.pdf', platform: 'lark' };
      await store.put('m/meta.bin', Buffer.from('x'), { metadata });
      expect((await store.head('m/meta.bin'))?.metadata).toEqual(metadata);
    });
  });
}
