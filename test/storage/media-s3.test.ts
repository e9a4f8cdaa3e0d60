import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from '../../src/storage/media/errors.js';
import { S3ObjectStore } from '../../src/storage/object/s3.js';
import { type CuttableProxy, cuttableProxy } from '../helpers/cuttable-proxy.js';
import { jpegWithGps, png } from '../helpers/media-fixtures.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';
import { mediaService, origin, source } from './media-harness.js';

let s3: RunningS3rver;
let proxy: CuttableProxy;
beforeAll(async () => {
  s3 = await startS3rver();
  proxy = await cuttableProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy.close();
  await s3.stop();
});

async function spoolDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter(
    (name) => name.startsWith('teambot-media-') && !name.includes('test'),
  );
}

describe('media ingest on S3 (s3rver)', () => {
  it('stores the sanitized image and its thumbnail; the presigned link serves them', async () => {
    const bucket = await s3.newBucket();
    const store = new S3ObjectStore(s3.settings(bucket));
    const { service } = await mediaService({}, store);
    const result = await service.ingest(source('gps.jpg', await jpegWithGps()), {
      ...origin,
      platform: 'lark',
      chat: 'oc_报告',
    });
    expect(await s3.keys(bucket)).toEqual([result.key, result.previewKey].sort());
    const res = await fetch(await service.link(result.key, 60));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(result.data ?? []))).toBe(true);
    expect((await store.head(result.key))?.metadata).toMatchObject({ chat: 'oc_报告', platform: 'lark' });
    await store.close();
  });

  it('S3 down: a clear refusal, and nothing half-written (the retry completes the pair)', async () => {
    const bucket = await s3.newBucket();
    const store = new S3ObjectStore({ ...s3.settings(bucket), endpoint: proxy.url, maxAttempts: 1 });
    const { service } = await mediaService({}, store);
    const image = await png(50, 40);
    const before = await spoolDirs();

    proxy.cut();
    const down = await service.ingest(source('a.png', image), origin).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(MediaError);
    expect(down).toMatchObject({ code: 'unavailable' });
    expect((down as Error).message).toBe(
      'Storage is unavailable right now, so I could not keep it. Please send it again later.',
    );
    expect(await s3.keys(bucket)).toEqual([]);

    // Down after the image went in (HEAD, PUT), before its thumbnail: the image is whole, never partial.
    proxy.restore();
    const start = proxy.forwarded();
    proxy.cutAfter(start + 2);
    const midway = await service.ingest(source('a.png', image), origin).catch((e: unknown) => e);
    expect(midway).toMatchObject({ code: 'unavailable' });
    const left = await s3.keys(bucket);
    expect(left.every((key) => !key.endsWith('.preview.webp'))).toBe(true);
    const direct = new S3ObjectStore(s3.settings(bucket));
    for (const key of left) expect((await direct.head(key))?.size).toBeGreaterThan(0);
    await direct.close();

    proxy.restore();
    const retried = await service.ingest(source('a.png', image), origin);
    expect(await s3.keys(bucket)).toEqual([retried.key, retried.previewKey].sort());
    expect(await spoolDirs()).toEqual(before); // temp files removed every time
    await store.close();
  });
});
