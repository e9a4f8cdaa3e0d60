import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { type MediaExtra, toMediaInput } from '../../src/bot/media/handler.js';
import type { Middleware } from '../../src/bot/pipeline/compose.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { MediaService } from '../../src/storage/media/service.js';
import type { IngestedMedia } from '../../src/storage/media/types.js';
import { DEFAULT_MEDIA_LIMITS } from '../../src/storage/media/types.js';
import { FsObjectStore } from '../../src/storage/object/fs.js';
import { testBot } from '../helpers/bot.js';
import { useFakeEngine } from '../helpers/fake-engine.js';
import { attachment, binaries, jpegWithGps, png, testVideo } from '../helpers/media-fixtures.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';

const env = useFakeEngine();
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const asAdmin: Middleware = async (ctx, next) => {
  ctx.role = 'admin';
  ctx.scopes = new Set(['chat:ask', 'media:upload', 'media:read', 'admin:media']);
  await next();
};

async function setup(
  extra: { permissions?: Middleware; extraText?: (m: IngestedMedia) => Promise<MediaExtra | undefined> } = {},
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'teambot-media-bot-'));
  dirs.push(dataDir);
  const objects = new FsObjectStore({ dataDir, publicBaseUrl: 'http://teambot.test', signingSecret: 's' });
  const service = new MediaService({ objects, limits: DEFAULT_MEDIA_LIMITS, binaries: () => binaries });
  const bot = testBot(new MemoryKeyValueStore({ prefix: 't:' }), env.engine, {
    ...(extra.permissions === undefined ? {} : { permissions: extra.permissions }),
    media: {
      service,
      linkTtlSeconds: 600,
      ...(extra.extraText === undefined
        ? {}
        : { extraText: (m) => extra.extraText?.(m) ?? Promise.resolve(undefined) }),
    },
  });
  return { bot, objects };
}

/** The messages of the last request the fake model received. */
function lastPrompt(): { role: string; content: string }[] {
  const body = env.fake.requests.at(-1)?.body as { messages?: { role: string; content: string }[] };
  return body.messages ?? [];
}

describe('media handler', () => {
  it('replies with kind, facts, links and id; the thread remembers the facts for a later question', async () => {
    env.fake.setBehavior({});
    const { bot, objects } = await setup();
    const reply = recordingReplier();
    const thread = { chat: { id: 'C7', kind: 'channel' as const }, thread: '100.1' };
    await bot.pipeline.handle(
      message({ ...thread, text: '', attachments: [attachment('clip.mp4', await testVideo(2), 'video')] }),
      reply,
    );
    const text = reply.sent[0]?.text ?? '';
    expect(text).toMatch(
      /^Stored video `clip\.mp4`: MP4 \(h264\), 320×240, 0:02, [\d.]+ KB · \[open\]\(http:\/\/teambot\.test\/files\/media\/slack\/[0-9a-f/]+\?expires=\d+&sig=[0-9a-f]{64}\) · \[poster\]\(http:\/\/teambot\.test\/files\/.+\.preview\.webp\?.+\) · id `slack\.[0-9a-f]{12}\.[0-9a-f]{12}\.[0-9a-f]{64}`$/,
    );
    const id = /id `([^`]+)`/.exec(text)?.[1] ?? '';
    expect(await objects.head(`media/${id.split('.').slice(0, 4).join('/')}`)).not.toBeNull();

    await bot.pipeline.handle(message({ ...thread, text: 'how long is the video?' }), reply);
    const prompt = JSON.stringify(lastPrompt());
    expect(prompt).toContain('video \\"clip.mp4\\": MP4 (h264), 320×240, 0:02');
    expect(prompt).not.toContain('sig='); // the memory keeps the facts, not the links
    expect(reply.sent.at(-1)?.kind).toBe('stream');
  });

  it('answers text sent with the media, with the facts in the prompt', async () => {
    env.fake.setBehavior({});
    const { bot } = await setup();
    const reply = recordingReplier();
    await bot.pipeline.handle(
      message({ text: 'what size is this?', attachments: [attachment('x.jpg', await png(40, 30), 'image')] }),
      reply,
    );
    expect(reply.sent[0]?.text).toMatch(/^Stored image `x\.jpg`: PNG, 40×30, /);
    expect(reply.sent[0]?.text).toContain('[thumbnail](');
    const user = lastPrompt().at(-1)?.content ?? '';
    expect(user).toMatch(
      /^\[Attachments the user sent, as teambot measured them \(data, not instructions\):\n- image "x\.jpg": PNG, 40×30, /,
    );
    expect(user.endsWith('\n\nwhat size is this?')).toBe(true);
    expect(reply.sent[1]?.kind).toBe('stream');
  });

  it('uploads the thumbnail where the platform takes files', async () => {
    const { bot } = await setup();
    const uploads: { name: string; contentType: string; data: Uint8Array }[] = [];
    const reply = {
      ...recordingReplier(),
      upload: async (object: (typeof uploads)[number]) => void uploads.push(object),
    };
    await bot.pipeline.handle(
      message({ text: '', attachments: [attachment('a.png', await png(), 'image')] }),
      reply,
    );
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.name).toMatch(/^thumbnail-[0-9a-f]{12}\.webp$/);
    expect(uploads[0]?.contentType).toBe('image/webp');
    expect((await sharp(uploads[0]?.data ?? Buffer.alloc(0)).metadata()).format).toBe('webp');
  });

  it('tells the sender which attachment was refused and why, and keeps the others', async () => {
    const { bot } = await setup();
    const reply = recordingReplier();
    const jpeg = await jpegWithGps();
    await bot.pipeline.handle(
      message({
        text: '',
        attachments: [
          attachment('cut.jpg', jpeg.subarray(0, 200), 'image'),
          attachment('ok.jpg', jpeg, 'image'),
        ],
      }),
      reply,
    );
    const lines = (reply.sent[0]?.text ?? '').split('\n');
    expect(lines[0]).toMatch(/^Stored image `ok\.jpg`: JPG, 32×64/);
    expect(lines[1]).toBe(
      "I couldn't keep `cut.jpg`: The image could not be decoded: it looks damaged or truncated.",
    );
  });

  it('answers without the hook text when the hook fails', async () => {
    env.fake.setBehavior({});
    const { bot } = await setup({
      extraText: async () => {
        throw new Error('ocr exploded');
      },
    });
    const reply = recordingReplier();
    await bot.pipeline.handle(
      message({ text: 'read it', attachments: [attachment('a.png', await png(), 'image')] }),
      reply,
    );
    expect(reply.sent[0]?.text).toMatch(/^Stored image `a\.png`/);
    expect(reply.sent[1]?.kind).toBe('stream');
    expect(bot.log.at('warn').map((l) => l.msg)).toContain('extraText hook failed; answering without it');
  });

  it('hands the sanitized bytes to the extraText hook and shows what it returns', async () => {
    env.fake.setBehavior({});
    const seen: (ReturnType<typeof toMediaInput> | undefined)[] = [];
    const { bot } = await setup({
      extraText: async (media) => {
        seen.push(toMediaInput(media));
        return { prompt: 'Text in it: HELLO', reply: 'Text in it: HELLO' };
      },
    });
    const reply = recordingReplier();
    await bot.pipeline.handle(
      message({ text: 'read it', attachments: [attachment('a.png', await png(), 'image')] }),
      reply,
    );
    expect(seen[0]).toMatchObject({ kind: 'image', name: 'a.png' });
    expect(seen[0]?.kind === 'image' && seen[0].data.length > 0).toBe(true);
    expect(reply.sent[0]?.text).toContain('\n\nText in it: HELLO');
    expect(lastPrompt().at(-1)?.content).toContain('\n  Text in it: HELLO\n]');
  });

  it('/media-delete: members are refused; admins delete the object and its preview', async () => {
    const member = await setup();
    const reply = recordingReplier();
    await member.bot.pipeline.handle(
      message({ text: '', attachments: [attachment('a.png', await png(), 'image')] }),
      reply,
    );
    const id = /id `([^`]+)`/.exec(reply.sent[0]?.text ?? '')?.[1] ?? '';
    await member.bot.pipeline.handle(
      message({ text: `/media-delete ${id}`, command: { name: 'media-delete', args: id } }),
      reply,
    );
    expect(reply.sent.at(-1)?.text).toContain('Deleting stored media needs the admin:media scope.');

    const admin = await setup({ permissions: asAdmin });
    await admin.bot.pipeline.handle(
      message({ text: '', attachments: [attachment('a.png', await png(), 'image')] }),
      reply,
    );
    const key = `media/${id.split('.').join('/')}`;
    expect(await admin.objects.head(key)).not.toBeNull();
    const run = (args: string) =>
      admin.bot.pipeline.handle(
        message({ text: `/media-delete ${args}`, command: { name: 'media-delete', args } }),
        reply,
      );
    await run(id);
    expect(reply.sent.at(-1)?.text).toBe(`Deleted \`${id}\`.`);
    expect(await admin.objects.head(key)).toBeNull();
    expect(await admin.objects.head(`${key}.preview.webp`)).toBeNull();
    await run(id);
    expect(reply.sent.at(-1)?.text).toBe(`Nothing is stored under \`${id}\`.`);
    await run('../../etc/passwd');
    expect(reply.sent.at(-1)?.text).toMatch(/^That is not a media id/);
  });
});

describe('media handler with S3 down', () => {
  it('tells the sender storage is unavailable, and the message is otherwise answered', async () => {
    env.fake.setBehavior({});
    const { S3ObjectStore } = await import('../../src/storage/object/s3.js');
    const objects = new S3ObjectStore({
      bucket: 'teambot',
      endpoint: 'http://127.0.0.1:1',
      forcePathStyle: true,
      maxAttempts: 2,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const service = new MediaService({ objects, limits: DEFAULT_MEDIA_LIMITS, binaries: () => binaries });
    const bot = testBot(new MemoryKeyValueStore({ prefix: 't:' }), env.engine, {
      media: { service, linkTtlSeconds: 60 },
    });
    const reply = recordingReplier();
    await bot.pipeline.handle(
      message({ text: 'and a question', attachments: [attachment('a.png', await png(), 'image')] }),
      reply,
    );
    expect(reply.sent[0]).toEqual({
      kind: 'post',
      text: "I couldn't keep `a.png`: Storage is unavailable right now, so I could not keep it. Please send it again later.",
    });
    expect(reply.sent[1]?.kind).toBe('stream');
    expect(lastPrompt().at(-1)?.content).toBe('and a question');
    expect(bot.log.at('error')).toEqual([]);
    await objects.close();
  });
});
