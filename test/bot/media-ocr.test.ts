import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_UPLOAD_DENIED } from '../../src/bot/media/handler.js';
import { ocrMediaText } from '../../src/bot/media/ocr-hook.js';
import { MEDIA_READ_DENIED } from '../../src/bot/media-text/scope.js';
import type { Middleware } from '../../src/bot/pipeline/compose.js';
import { renderText } from '../../src/inference/ocr/testset/render.js';
import { createRng } from '../../src/inference/sampling/rng.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { MediaService } from '../../src/storage/media/service.js';
import { DEFAULT_MEDIA_LIMITS } from '../../src/storage/media/types.js';
import { FsObjectStore } from '../../src/storage/object/fs.js';
import { testBot } from '../helpers/bot.js';
import { useFakeEngine } from '../helpers/fake-engine.js';
import { attachment, binaries } from '../helpers/media-fixtures.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';
import { useOcrReader } from '../inference/ocr/support.js';
import { videoOfImage } from './media-ocr-fixtures.js';

const env = useFakeEngine();
const reader = useOcrReader();
const ERROR_LINE = 'Error: connect ECONNREFUSED 127.0.0.1:5432';
const SLIDE_LINE = 'Quarterly results are ready';

let screenshot: Buffer;
let video: Buffer;
let dataDir: string;
beforeAll(async () => {
  const style = { font: 'DejaVu Sans', size: 24, angle: 0, noise: 0, dark: false };
  screenshot = await renderText([ERROR_LINE], style, createRng(5));
  video = await videoOfImage(await renderText([SLIDE_LINE], style, createRng(4)), 2);
  dataDir = await mkdtemp(join(tmpdir(), 'teambot-media-ocr-'));
}, 60_000);
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const withScopes =
  (...scopes: string[]): Middleware =>
  async (ctx, next) => {
    ctx.role = 'member';
    ctx.scopes = new Set(scopes);
    await next();
  };

function setup(options: { scopes?: string[]; imageReply?: boolean } = {}) {
  const objects = new FsObjectStore({ dataDir, publicBaseUrl: 'http://teambot.test', signingSecret: 's' });
  const service = new MediaService({ objects, limits: DEFAULT_MEDIA_LIMITS, binaries: () => binaries });
  return testBot(new MemoryKeyValueStore({ prefix: 't:' }), env.engine, {
    ...(options.scopes === undefined ? {} : { permissions: withScopes(...options.scopes) }),
    media: {
      service,
      linkTtlSeconds: 600,
      extraText: ocrMediaText(reader(), {
        imageReply: options.imageReply ?? true,
        promptMaxChars: 4000,
      }),
    },
  });
}

function lastPrompt(): string {
  const body = env.fake.requests.at(-1)?.body as { messages?: { content: string }[] } | undefined;
  return body?.messages?.at(-1)?.content ?? '';
}

describe('OCR in the media handler (real OCR sessions, real ffmpeg)', { timeout: 120_000 }, () => {
  it('an image with a question: the text read from it goes into the prompt, marked as from the image', async () => {
    env.fake.setBehavior({});
    const before = env.fake.requests.length;
    const reply = recordingReplier();
    await setup().pipeline.handle(
      message({
        text: 'what does this error mean?',
        attachments: [attachment('error.png', screenshot, 'image')],
      }),
      reply,
    );
    expect(env.fake.requests.length).toBe(before + 1);
    const prompt = lastPrompt();
    expect(prompt).toContain('[Text read by OCR from the attached image.');
    expect(prompt).toContain(`  <image-text name="error.png">\n  ${ERROR_LINE}\n  </image-text>`);
    expect(prompt.endsWith('what does this error mean?')).toBe(true);
    // With a question the reply lists what was stored, not the OCR text: the answer uses it.
    expect(reply.sent[0]?.text).not.toContain(ERROR_LINE);
  });

  it('an image alone: the reply says what it shows, and a later question in the thread still has it', async () => {
    const bot = setup();
    const reply = recordingReplier();
    await bot.pipeline.handle(
      message({ text: '', attachments: [attachment('error.png', screenshot, 'image')] }),
      reply,
    );
    expect(reply.sent[0]?.text).toContain(`Text in error.png:\n\`\`\`\n${ERROR_LINE}\n\`\`\``);
    env.fake.setBehavior({});
    await bot.pipeline.handle(message({ text: 'which port is it?' }), recordingReplier());
    const body = env.fake.requests.at(-1)?.body as { messages: { content: string }[] };
    expect(body.messages.map((m) => m.content).join('\n')).toContain(ERROR_LINE);
  });

  it('OCR_IMAGE_REPLY off: an image alone gets the stored-file reply without its text', async () => {
    const reply = recordingReplier();
    await setup({ imageReply: false }).pipeline.handle(
      message({ text: '', attachments: [attachment('error.png', screenshot, 'image')] }),
      reply,
    );
    expect(reply.sent).toHaveLength(1);
    expect(reply.sent[0]?.text).toMatch(/^Stored image `error\.png`/);
    expect(reply.sent[0]?.text).not.toContain(ERROR_LINE);
  });

  it('a video with a question: keyframe text with its time goes into the prompt', async () => {
    env.fake.setBehavior({});
    await setup().pipeline.handle(
      message({ text: 'summarize the slide', attachments: [attachment('talk.mp4', video, 'video')] }),
      recordingReplier(),
    );
    const prompt = lastPrompt();
    expect(prompt).toContain('<video-text name="talk.mp4">');
    expect(prompt).toMatch(new RegExp(`\\[0:00[^\\]]*\\] ${SLIDE_LINE}`));
  });

  it('without media:read the sender is told once and the image is stored but not read', async () => {
    env.fake.setBehavior({});
    const reply = recordingReplier();
    await setup({ scopes: ['chat:ask', 'media:upload'] }).pipeline.handle(
      message({
        text: 'what does it say?',
        attachments: [attachment('a.png', screenshot, 'image'), attachment('b.png', screenshot, 'image')],
      }),
      reply,
    );
    expect(reply.sent.filter((r) => r.text === MEDIA_READ_DENIED)).toHaveLength(1);
    expect(reply.sent.some((r) => r.text.startsWith('Stored 2 files') || r.text.includes('a.png'))).toBe(
      true,
    );
    expect(lastPrompt()).not.toContain(ERROR_LINE);
    expect(lastPrompt().endsWith('what does it say?')).toBe(true);
  });

  it('without media:upload nothing is stored or read; the question is still answered', async () => {
    env.fake.setBehavior({});
    const before = env.fake.requests.length;
    const reply = recordingReplier();
    await setup({ scopes: ['chat:ask', 'media:read'] }).pipeline.handle(
      message({ text: 'hello?', attachments: [attachment('a.png', screenshot, 'image')] }),
      reply,
    );
    expect(reply.sent[0]).toEqual({ kind: 'notice', text: MEDIA_UPLOAD_DENIED });
    expect(env.fake.requests.length).toBe(before + 1);
    expect(lastPrompt()).toBe('hello?');
  });
});
