import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../src/storage/object/factory.js';
import { S3ObjectStore } from '../../src/storage/object/s3.js';
import { ObjectStoreError } from '../../src/storage/object/types.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';
import { describeObjectStoreConformance } from './object-conformance.js';

let s3: RunningS3rver;
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3.stop();
});

describeObjectStoreConformance('S3ObjectStore on s3rver', async () => {
  const bucket = await s3.newBucket();
  return { store: new S3ObjectStore(s3.settings(bucket)), storedKeys: () => s3.keys(bucket) };
});

describe('S3ObjectStore', () => {
  it('is what the factory builds when a bucket is configured', async () => {
    const bucket = await s3.newBucket();
    const store = await createObjectStore({
      dataDir: '/nonexistent',
      publicBaseUrl: 'http://x',
      signingSecret: 's',
      s3: s3.settings(bucket),
    });
    expect(store.kind).toBe('s3');
    await store.put('a/b', Buffer.from('x'));
    expect(await s3.keys(bucket)).toEqual(['a/b']);
    await store.close();
  });

  it('streams a multipart upload (larger than one part) and reads it back', async () => {
    const bucket = await s3.newBucket();
    const store = new S3ObjectStore(s3.settings(bucket));
    const chunks = Array.from({ length: 18 }, (_, i) => Buffer.alloc(1024 * 1024, i));
    const info = await store.put('big/video.mp4', Readable.from(chunks), {
      contentType: 'video/mp4',
      maxBytes: 32 * 1024 * 1024,
    });
    expect(info.size).toBe(18 * 1024 * 1024);
    const got = await store.get('big/video.mp4');
    let size = 0;
    for await (const chunk of got?.body ?? Readable.from([])) size += (chunk as Buffer).length;
    expect(size).toBe(18 * 1024 * 1024);
    await store.close();
  });

  it('refuses a multipart-sized stream over maxBytes: no object appears', async () => {
    const bucket = await s3.newBucket();
    const store = new S3ObjectStore(s3.settings(bucket));
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(1024 * 1024, 7));
    const error = await store
      .put('big/over.bin', Readable.from(chunks), { maxBytes: 17 * 1024 * 1024 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectStoreError);
    expect(error).toMatchObject({ code: 'too_large' });
    expect(await s3.keys(bucket)).toEqual([]);
    expect(await store.head('big/over.bin')).toBeNull();
    await store.close();
  });

  it('presigns links with S3_PUBLIC_ENDPOINT as their host', async () => {
    const bucket = await s3.newBucket();
    const store = new S3ObjectStore({ ...s3.settings(bucket), publicEndpoint: 'https://media.example.com' });
    const url = new URL(await store.signedUrl('k/v.png', 3600));
    expect(url.origin).toBe('https://media.example.com');
    expect(url.pathname).toBe(`/${bucket}/k/v.png`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    await store.close();
  });

  it('reports an unreachable server as unavailable, naming the bucket', async () => {
    const store = new S3ObjectStore({
      ...s3.settings('gone'),
      endpoint: 'http://127.0.0.1:1',
      maxAttempts: 2,
    });
    for (const attempt of [
      () => store.ping(),
      () => store.put('a', Buffer.from('x')),
      () => store.head('a'),
    ]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect(error).toMatchObject({ code: 'unavailable' });
      expect((error as Error).message).toContain('bucket gone');
    }
    await store.close();
  });
});
