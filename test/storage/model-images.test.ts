import { describe, expect, it } from 'vitest';
import { MediaError } from '../../src/storage/media/errors.js';
import { keyframeKey, sanitizeImage } from '../../src/storage/media/model-images.js';
import { DEFAULT_MEDIA_LIMITS } from '../../src/storage/media/types.js';
import { videoOfImage } from '../bot/media-ocr-fixtures.js';
import { png } from '../helpers/media-fixtures.js';
import { mediaService, origin, source } from './media-harness.js';

describe('images for models that see', () => {
  it('an image is referenced by its stored key; its bytes read back', async () => {
    const { service } = await mediaService();
    const media = await service.ingest(source('a.png', await png(20, 10)), origin);
    const refs = await service.modelImages(media);
    expect(refs).toEqual([{ key: media.key, mimeType: 'image/png' }]);
    expect((await service.readImage(media.key))?.equals(Buffer.from(media.data ?? []))).toBe(true);
    expect(await service.readImage(`${media.key}.missing`)).toBeUndefined();
  });

  it('a video’s keyframes are stored beside it once, and deleted with it', { timeout: 60_000 }, async () => {
    const { service, stored } = await mediaService();
    const media = await service.ingest(source('v.mp4', await videoOfImage(await png(64, 48), 2)), origin);
    const refs = await service.modelImages(media);
    expect(refs.length).toBe(media.keyframes?.length);
    expect(refs.map((r) => r.videoTimeMs)).toEqual(media.keyframes?.map((k) => k.timestampMs));
    expect(refs[0]).toMatchObject({ key: keyframeKey(media.key, 0), videoId: media.id });
    const read = await service.readImage(refs[1]?.key ?? '');
    expect(read?.equals(Buffer.from(media.keyframes?.[1]?.image ?? []))).toBe(true);
    const before = (await stored()).length;
    expect(await service.modelImages(media)).toEqual(refs); // stored once
    expect((await stored()).length).toBe(before);
    expect(await service.delete(media.id)).toBe(true);
    expect((await stored()).filter((f) => !f.endsWith('.meta.json'))).toEqual([]);
  });

  it('sanitizes bytes from elsewhere and refuses what is not an image', async () => {
    const clean = await sanitizeImage(await png(10, 10), DEFAULT_MEDIA_LIMITS);
    expect(clean.contentType).toBe('image/png');
    await expect(sanitizeImage(Buffer.from('plain text'), DEFAULT_MEDIA_LIMITS)).rejects.toBeInstanceOf(
      MediaError,
    );
    const small = { ...DEFAULT_MEDIA_LIMITS, maxBytes: { ...DEFAULT_MEDIA_LIMITS.maxBytes, image: 10 } };
    await expect(sanitizeImage(await png(10, 10), small)).rejects.toMatchObject({ code: 'too_large' });
  });
});
