import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect as netConnect } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleEngine } from '../../../src/inference/openai/engine.js';
import type { ImageLoading } from '../../../src/server/openai-api/images.js';
import { sanitizeImage } from '../../../src/storage/media/model-images.js';
import { DEFAULT_MEDIA_LIMITS } from '../../../src/storage/media/types.js';
import type { Connect, Resolve } from '../../../src/util/ssrf/connect.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../helpers/fake-openai.js';
import { jpegWithGps, png } from '../../helpers/media-fixtures.js';
import { apiServer, KEYS } from './support.js';

let upstream: FakeOpenAI;
let images: Server;
let imagesPort: number;
let photo: Buffer;
const hits: string[] = [];

beforeAll(async () => {
  upstream = await startFakeOpenAI();
  photo = await jpegWithGps();
  images = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/photo.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    else if (req.url === '/to-metadata')
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  imagesPort = (images.address() as AddressInfo).port;
});
afterAll(async () => {
  await upstream.close();
  images.closeAllConnections();
  await new Promise((resolve) => images.close(resolve));
});
beforeEach(() => {
  upstream.requests.length = 0;
  hits.length = 0;
});

const seeing = () =>
  new OpenAICompatibleEngine({
    baseUrl: upstream.url,
    model: 'vl-model',
    timeoutMs: 5000,
    contextLength: 4096,
    vision: true,
  });

/** `public.example` looks public; the injected connect step still only ever reaches the loopback image server. */
const resolve: Resolve = async (hostname) => {
  if (hostname === 'public.example') return [{ address: '93.184.216.34', family: 4 }];
  throw new Error('ENOTFOUND');
};
const connect: Connect = () => netConnect({ host: '127.0.0.1', port: imagesPort });

function loading(more: Partial<ImageLoading['fetch']> = {}, maxImages = 4): ImageLoading {
  return {
    maxImages,
    fetch: { allowPrivate: false, maxBytes: 64 * 1024, timeoutMs: 3000, maxRedirects: 2, ...more },
    sanitize: (bytes) => sanitizeImage(bytes, { ...DEFAULT_MEDIA_LIMITS }),
  };
}

const dataUrl = (bytes: Buffer, mime = 'image/jpeg') => `data:${mime};base64,${bytes.toString('base64')}`;

function body(url: string, text = 'What is this?') {
  return {
    model: 'vl-model',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text },
          { type: 'image_url', image_url: { url, detail: 'auto' } },
        ],
      },
    ],
  };
}

async function post(url: string, payload: unknown, path = '/v1/chat/completions') {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS[0]}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

type Part = { type: string; text?: string; image_url?: { url: string } };
function upstreamParts(): Part[] {
  const chat = upstream.requests.find((r) => r.path === '/v1/chat/completions');
  const messages = (chat?.body as { messages: { content: Part[] }[] } | undefined)?.messages ?? [];
  return messages[0]?.content ?? [];
}

async function expectBadImage(result: { status: number; json: Record<string, unknown> }, pattern: RegExp) {
  expect(result.status).toBe(400);
  expect(result.json).toEqual({
    error: {
      message: expect.stringMatching(pattern),
      type: 'invalid_request_error',
      param: 'messages.0.content.1.image_url',
      code: 'invalid_image',
    },
  });
  expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
}

describe('/v1/chat/completions with image_url content parts', () => {
  it('accepts a data: URL, sanitizes it and sends the engine the clean copy', async () => {
    const server = await apiServer(seeing(), { images: loading() });
    const result = await post(server.url, body(dataUrl(photo)));
    expect(result.status).toBe(200);
    const parts = upstreamParts();
    expect(parts.map((p) => p.type)).toEqual(['image_url', 'text']);
    expect(parts[1]?.text).toBe('What is this?');
    const url = parts[0]?.image_url?.url ?? '';
    const sent = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    expect((await sharp(sent).metadata()).exif).toBeUndefined(); // GPS stripped
    expect((await sharp(photo).metadata()).exif).toBeDefined();
  });

  it('fetches an http URL through the guard (a name that resolves public, pinned connection)', async () => {
    const server = await apiServer(seeing(), { images: loading({ resolve, connect }) });
    const result = await post(server.url, body('http://public.example/photo.jpg'));
    expect(result.status).toBe(200);
    expect(hits).toEqual(['/photo.jpg']);
    expect(upstreamParts()[0]?.image_url?.url).toMatch(/^data:image\/jpeg;base64,/);
  });

  it('refuses loopback, private, link-local and metadata URLs with a 400 in OpenAI’s shape', async () => {
    const server = await apiServer(seeing(), { images: loading({ resolve, connect }) });
    for (const [url, kind] of [
      [`http://127.0.0.1:${imagesPort}/photo.jpg`, /loopback/],
      ['http://10.1.2.3/photo.jpg', /private/],
      ['http://[fe80::1]/photo.jpg', /link-local/],
      ['http://169.254.169.254/latest/meta-data/', /metadata/],
      ['http://[::ffff:169.254.169.254]/', /metadata/],
      ['http://public.example/to-metadata', /metadata/],
    ] as const) {
      await expectBadImage(await post(server.url, body(url)), kind);
    }
    expect(hits).toEqual(['/to-metadata']); // only the public first hop was contacted
  });

  it('fetches a real image from 127.0.0.1 when API_IMAGE_FETCH_ALLOW_PRIVATE is on', async () => {
    const server = await apiServer(seeing(), { images: loading({ allowPrivate: true }) });
    const result = await post(server.url, body(`http://127.0.0.1:${imagesPort}/photo.jpg`));
    expect(result.status).toBe(200);
    expect(hits).toEqual(['/photo.jpg']);
  });

  it('answers 400 for what is not an image, too large, unreachable or malformed', async () => {
    const server = await apiServer(seeing(), { images: loading({ resolve, connect, maxBytes: 4096 }) });
    await expectBadImage(
      await post(server.url, body(dataUrl(Buffer.from('hello, not an image'), 'image/png'))),
      /not an image/,
    );
    await expectBadImage(await post(server.url, body(dataUrl(await png(200, 200)))), /larger than/);
    await expectBadImage(await post(server.url, body('http://nowhere.example/x.png')), /resolved/);
    await expectBadImage(await post(server.url, body('data:image/png,rawtext')), /base64/);
    await expectBadImage(await post(server.url, body('ftp://public.example/x.png')), /http and https/);
  });

  it('refuses images for an engine that does not see, and too many images', async () => {
    const blind = new OpenAICompatibleEngine({
      baseUrl: upstream.url,
      model: 'text-model',
      timeoutMs: 5000,
      contextLength: 4096,
    });
    const server = await apiServer(blind, { images: loading() });
    const refused = await post(server.url, body(dataUrl(photo)));
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({
      code: 'image_input_unsupported',
      type: 'invalid_request_error',
    });

    const few = await apiServer(seeing(), { images: loading({}, 1) });
    const two = body(dataUrl(photo));
    two.messages[0]?.content.push({ type: 'image_url', image_url: { url: dataUrl(photo), detail: 'low' } });
    const tooMany = await post(few.url, two);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toMatchObject({
      code: 'too_many_images',
      param: 'messages.0.content.2.image_url',
    });
  });

  it('loads images for async tasks too, refusing a bad one before the task exists', async () => {
    const server = await apiServer(seeing(), { images: loading() });
    const bad = await post(server.url, body('http://127.0.0.1/x.png'), '/v1/tasks');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_image' });
    const ok = await post(server.url, body(dataUrl(photo)), '/v1/tasks');
    expect(ok.status).toBe(202);
  });
});
