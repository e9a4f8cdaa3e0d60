import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { animatedGif, bmp, bombPng, jpegWithGps, png, wav, webStream } from '../helpers/media-fixtures.js';
import { mediaService, origin, refusal, source } from './media-harness.js';

describe('media ingest: images', () => {
  it('strips EXIF GPS, auto-orients, stores a WebP thumbnail and the facts', async () => {
    const input = await jpegWithGps();
    const original = await sharp(input).metadata();
    expect(original.exif?.includes(Buffer.from('Spy 3000'))).toBe(true);
    expect(original.orientation).toBe(6);
    const gpsPointer = [Buffer.from([0x88, 0x25]), Buffer.from([0x25, 0x88])]; // the GPS IFD tag
    expect(gpsPointer.some((tag) => original.exif?.includes(tag))).toBe(true);
    const { service, store } = await mediaService();
    const result = await service.ingest(source('holiday.jpg', input), origin);
    expect(result).toMatchObject({ kind: 'image', contentType: 'image/jpeg', stored: true });
    expect(result.image).toEqual({ width: 32, height: 64, pages: 1, animated: false });

    const got = await store.get(result.key);
    const bytes = await buffer(got?.body ?? Readable.from([]));
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([32, 64]);
    expect(bytes.includes(Buffer.from('Spy 3000'))).toBe(false);
    expect(Buffer.from(result.data ?? []).equals(bytes)).toBe(true);
    expect(got?.info.metadata).toMatchObject({
      platform: 'slack',
      workspace: 'T1',
      chat: 'C1',
      user: 'U1',
      'original-name': 'holiday.jpg',
      kind: 'image',
      'detected-type': 'image/jpeg',
      size: String(bytes.length),
      width: '32',
      height: '64',
    });
    expect(Date.parse(got?.info.metadata.created ?? '')).toBeGreaterThan(Date.now() - 60_000);

    const preview = await store.get(result.previewKey ?? '');
    const thumb = await sharp(await buffer(preview?.body ?? Readable.from([]))).metadata();
    expect(thumb.format).toBe('webp');
    expect(preview?.info.contentType).toBe('image/webp');
  });

  it('believes the bytes, not the name: a PNG named .jpg is a PNG', async () => {
    const { service, store } = await mediaService();
    const result = await service.ingest(source('photo.jpg', await png()), origin);
    expect(result.contentType).toBe('image/png');
    expect((await store.head(result.key))?.contentType).toBe('image/png');
    expect(result.image).toMatchObject({ width: 40, height: 30 });
  });

  it('stores the same bytes once', async () => {
    const { service, stored } = await mediaService();
    const input = await png();
    const first = await service.ingest(source('a.png', input), origin);
    const before = await stored();
    const second = await service.ingest(source('again.png', input), origin);
    expect(second.key).toBe(first.key);
    expect([first.stored, second.stored]).toEqual([true, false]);
    expect(await stored()).toEqual(before);
    expect(before).toHaveLength(2); // the image and its thumbnail
  });

  it('keeps animated images animated', async () => {
    const { service, store } = await mediaService();
    const result = await service.ingest(source('spin.gif', await animatedGif()), origin);
    expect(result.image).toMatchObject({ animated: true, width: 64, height: 48 });
    expect(result.image?.pages).toBeGreaterThan(1);
    const got = await store.get(result.key);
    const meta = await sharp(await buffer(got?.body ?? Readable.from([]))).metadata();
    expect(meta.pages).toBe(result.image?.pages);
  });

  it('refuses a decompression bomb from its header, storing nothing', async () => {
    const bomb = bombPng();
    expect(bomb.length).toBeLessThan(10_000);
    const { service, stored } = await mediaService();
    const error = await refusal(service.ingest(source('small.png', bomb), origin));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('60000×60000 pixels');
    expect(await stored()).toEqual([]);
  });

  it('refuses a truncated JPEG with a clear message', async () => {
    const whole = await (await import('../helpers/media-fixtures.js')).noiseImage(400, 300);
    const jpeg = await whole.jpeg().toBuffer();
    const { service, stored } = await mediaService();
    const error = await refusal(service.ingest(source('cut.jpg', jpeg.subarray(0, jpeg.length / 2)), origin));
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/damaged or truncated/);
    expect(await stored()).toEqual([]);
  });

  it('names the unsupported format', async () => {
    const { service, stored } = await mediaService();
    const error = await refusal(service.ingest(source('x.png', bmp()), origin));
    expect(error.code).toBe('unsupported');
    expect(error.message).toMatch(/^BMP images are not supported; send JPEG, PNG/);
    expect(await stored()).toEqual([]);
  });

  it('cuts an oversize download off mid-stream and stores nothing', async () => {
    const { service, stored } = await mediaService({
      maxBytes: { image: 1024 * 1024, video: 1, audio: 1, file: 1 },
    });
    const big = Buffer.concat([await png(), Buffer.alloc(8 * 1024 * 1024)]);
    const stream = webStream(big, 64 * 1024);
    const error = await refusal(service.ingest(source('big.png', stream), origin));
    expect(error.code).toBe('too_large');
    expect(error.message).toBe('Images can be at most 1.0 MB.');
    expect(stream.pulled()).toBeLessThan(40); // 128 chunks in all: it stopped reading early
    expect(await stored()).toEqual([]);
  });

  it('stops a download that is aborted midway (shutdown), storing nothing', async () => {
    const { service, stored } = await mediaService();
    const head = await png();
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(head));
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await refusal(service.ingest(source('slow.png', endless), origin, controller.signal));
    expect(error.code).toBe('download_failed');
    expect(error.message).toMatch(/^The download was interrupted/);
    expect(await stored()).toEqual([]);
  });

  it('refuses before downloading when the announced size is over every cap', async () => {
    const { service } = await mediaService();
    let opened = false;
    const huge = {
      name: 'x.bin',
      size: 10 * 1024 * 1024 * 1024,
      open: async () => {
        opened = true;
        return new ReadableStream<Uint8Array>();
      },
    };
    expect((await refusal(service.ingest(huge, origin))).code).toBe('too_large');
    expect(opened).toBe(false);
  });

  it('stores audio and other files as they are', async () => {
    const { service, store } = await mediaService();
    const sound = await wav();
    const audio = await service.ingest(source('note.mp3', sound), origin);
    expect(audio).toMatchObject({ kind: 'audio', contentType: 'audio/wav', size: sound.length });
    expect(await buffer((await store.get(audio.key))?.body ?? Readable.from([]))).toEqual(sound);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const file = await service.ingest(source('report.pdf', pdf), origin);
    expect(file).toMatchObject({ kind: 'file', contentType: 'application/pdf', extension: 'pdf' });
    const text = await service.ingest(source('notes.png', Buffer.from('just text')), origin);
    expect(text).toMatchObject({ kind: 'file', contentType: 'application/octet-stream' });
    expect(text.previewKey).toBeUndefined();
  });
});
