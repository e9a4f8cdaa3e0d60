import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { responseCacheKey } from '../../../src/inference/cache/key.js';
import { createRemoteEngine } from '../../../src/inference/factory.js';
import type { GenerateRequest, ImageInput } from '../../../src/inference/types.js';
import { gateImages } from '../../../src/inference/vision/sight.js';
import type { IngestedMedia } from '../../../src/storage/media/types.js';
import { S3ObjectStore } from '../../../src/storage/object/s3.js';
import type { ObjectStore } from '../../../src/storage/object/types.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../helpers/fake-openai.js';
import { jpegWithGps, png } from '../../helpers/media-fixtures.js';
import { type RunningS3rver, startS3rver } from '../../helpers/s3rver.js';
import { mediaService, origin, source } from '../../storage/media-harness.js';

let fake: FakeOpenAI;
let s3: RunningS3rver;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  s3 = await startS3rver();
});
afterAll(async () => {
  await fake.close();
  await s3.stop();
});
beforeEach(() => {
  fake.requests.length = 0;
});

type Part = { type: string; text?: string; image_url?: { url: string } };
interface SentMessage {
  role: string;
  content: string | Part[];
}

function sentMessages(): SentMessage[] {
  const chats = fake.requests.filter((r) => r.path === '/v1/chat/completions');
  expect(chats).toHaveLength(1);
  return (chats[0]?.body as { messages: SentMessage[] } | undefined)?.messages ?? [];
}

function remote(env: Record<string, string>, objects?: ObjectStore) {
  const config = loadConfig({ OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'vl', ...env });
  return gateImages(createRemoteEngine(config, { objects }));
}

async function storedBytes(objects: ObjectStore, key: string): Promise<Buffer> {
  const got = await objects.get(key);
  if (got === null) throw new Error(`no object ${key}`);
  const chunks: Buffer[] = [];
  for await (const chunk of got.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const asImage = (media: IngestedMedia): ImageInput => ({
  data: media.data ?? new Uint8Array(),
  mimeType: media.contentType,
  objectKey: media.key,
});

const ask = (images: ImageInput[]): GenerateRequest => ({
  messages: [
    { role: 'system', content: 'You see.' },
    { role: 'user', content: 'What is in the picture?', images },
  ],
  maxTokens: 8,
});

describe('remote vision (OpenAI-compatible image_url parts)', () => {
  it('sends the sanitized stored copy as a data URL, images before the text', async () => {
    const { service, store } = await mediaService();
    const media = await service.ingest(source('gps.jpg', await jpegWithGps()), origin);
    const engine = remote({ OPENAI_VISION: 'true' });
    expect(engine.info().vision).toBe(true);
    await engine.generate(ask([asImage(media)])).result;

    const [system, user] = sentMessages();
    expect(system).toEqual({ role: 'system', content: 'You see.' });
    const parts = user?.content as Part[];
    expect(parts.map((p) => p.type)).toEqual(['image_url', 'text']);
    expect(parts[1]?.text).toBe('What is in the picture?');
    const url = parts[0]?.image_url?.url ?? '';
    expect(url.startsWith('data:image/jpeg;base64,')).toBe(true);
    const decoded = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    expect(decoded.equals(await storedBytes(store, media.key))).toBe(true);
    // The stored copy is the sanitized one: no EXIF (the original carried GPS coordinates).
    expect((await sharp(decoded).metadata()).exif).toBeUndefined();
  });

  it('sends presigned links to the stored copies on S3 that the server can fetch', async () => {
    const bucket = await s3.newBucket();
    const objects = new S3ObjectStore(s3.settings(bucket));
    const { service } = await mediaService({}, objects);
    const media = await service.ingest(source('shot.png', await png(48, 24)), origin);
    const loose: ImageInput = { data: await png(16, 16), mimeType: 'image/png' };
    const engine = remote({ OPENAI_VISION: 'true', OPENAI_IMAGE_TRANSPORT: 'url' }, objects);
    await engine.generate(ask([asImage(media), loose])).result;

    const parts = sentMessages()[1]?.content as Part[];
    expect(parts.map((p) => p.type)).toEqual(['image_url', 'image_url', 'text']);
    const [first, second] = parts.map((p) => p.image_url?.url ?? '');
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*X-Amz-Signature=/);
    const fetched = Buffer.from(await (await fetch(first ?? '')).arrayBuffer());
    expect(fetched.equals(await storedBytes(objects, media.key))).toBe(true);
    // An image that was not stored (an API client's) is stored once under vision/ and linked.
    const fetchedLoose = Buffer.from(await (await fetch(second ?? '')).arrayBuffer());
    expect(fetchedLoose.equals(Buffer.from(loose.data))).toBe(true);
    expect((await s3.keys(bucket)).filter((k) => k.startsWith('vision/'))).toHaveLength(1);
  });

  it('announces video frames with their times', async () => {
    const frame = await png(8, 8);
    const frames: ImageInput[] = [0, 1500].map((ms) => ({
      data: frame,
      mimeType: 'image/png',
      videoTimeMs: ms,
      videoId: 'slack.abc.def.0123456789abcdef',
    }));
    await remote({ OPENAI_VISION: 'true' }).generate(ask(frames)).result;
    const parts = sentMessages()[1]?.content as Part[];
    expect(parts.map((p) => p.type)).toEqual(['text', 'image_url', 'text', 'image_url', 'text']);
    expect(parts[0]?.text).toBe('Frames of video 89abcdef:\n[video 89abcdef at 0.0 s]');
    expect(parts[2]?.text).toBe('[video 89abcdef at 1.5 s]');
  });

  it('never sends images to a backend that does not see', async () => {
    const engine = remote({});
    expect(engine.info().vision).toBeUndefined();
    await engine.generate(ask([{ data: await png(8, 8), mimeType: 'image/png' }])).result;
    expect(sentMessages()[1]).toEqual({ role: 'user', content: 'What is in the picture?' });
  });

  it('keys the response cache by the images too', async () => {
    const a = ask([{ data: await png(8, 8), mimeType: 'image/png' }]);
    const b = ask([{ data: await png(9, 8), mimeType: 'image/png' }]);
    expect(responseCacheKey('m', a)).not.toBe(responseCacheKey('m', b));
    expect(responseCacheKey('m', a)).toBe(responseCacheKey('m', ask([...(a.messages[1]?.images ?? [])])));
  });
});
