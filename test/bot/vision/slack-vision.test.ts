import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotDeps } from '../../../src/bot/create-bot.js';
import { ocrMediaText } from '../../../src/bot/media/ocr-hook.js';
import { MEDIA_READ_DENIED } from '../../../src/bot/media-text/scope.js';
import type { Middleware } from '../../../src/bot/pipeline/compose.js';
import { renderText } from '../../../src/inference/ocr/testset/render.js';
import { OpenAICompatibleEngine } from '../../../src/inference/openai/engine.js';
import { createRng } from '../../../src/inference/sampling/rng.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../helpers/fake-openai.js';
import { waitFor } from '../../helpers/fake-slack.js';
import { fsMedia } from '../../helpers/media-service.js';
import { useOcrReader } from '../../inference/ocr/support.js';
import { type Harness, startHarness } from '../adapters/slack/harness.js';
import { dmMessage, envelope } from '../adapters/slack/payloads.js';
import { videoOfImage } from '../media-ocr-fixtures.js';

const reader = useOcrReader();
const ERROR_LINE = 'Error: connect ECONNREFUSED 127.0.0.1:5432';
const OCR_MARK = '[Text read by OCR';

let upstream: FakeOpenAI;
let screenshot: Buffer;
let video: Buffer;
beforeAll(async () => {
  upstream = await startFakeOpenAI();
  const style = { font: 'DejaVu Sans', size: 24, angle: 0, noise: 0, dark: false };
  screenshot = await renderText([ERROR_LINE], style, createRng(5));
  video = await videoOfImage(await renderText(['Quarterly results'], style, createRng(4)), 2);
}, 60_000);
afterAll(() => upstream.close());

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const engine = (vision: boolean) =>
  new OpenAICompatibleEngine({
    baseUrl: upstream.url,
    model: vision ? 'vl-model' : 'text-model',
    timeoutMs: 5000,
    contextLength: 8192,
    vision,
  });

const scopes =
  (...granted: string[]): Middleware =>
  async (ctx, next) => {
    ctx.role = 'member';
    ctx.scopes = new Set(granted);
    await next();
  };

async function start(options: {
  vision: boolean;
  withOcr?: boolean;
  permissions?: Middleware;
}): Promise<{ harness: Harness; media: NonNullable<BotDeps['media']> }> {
  const media = {
    ...(await fsMedia()),
    extraText: ocrMediaText(reader(), { imageReply: true, promptMaxChars: 4000 }),
    vision: { withOcr: options.withOcr ?? false, historyImages: 8 },
  };
  h = await startHarness({
    engine: engine(options.vision),
    media,
    ...(options.permissions === undefined ? {} : { permissions: options.permissions }),
  });
  return { harness: h, media };
}

let fileId = 0;
/** A DM to the bot (with files), then waits until its answer is complete and remembered. */
async function send(
  harness: Harness,
  text: string,
  files: { name: string; mimetype: string; content: Buffer }[] = [],
) {
  const before = upstream.requests.length;
  const shared = files.map((f) => harness.fake.addFile({ id: `F${++fileId}`, ...f }));
  await harness.sendEvent(
    envelope(dmMessage({ text, ...(shared.length === 0 ? {} : { subtype: 'file_share', files: shared }) })),
  );
  await waitFor(() => upstream.requests.length > before, 'the model request', 60_000);
  await waitFor(() => harness.bot.pipeline.inFlight === 0, 'the answer', 10_000);
}

type Part = { type: string; text?: string; image_url?: { url: string } };
type Sent = { role: string; content: string | Part[] };
function lastMessages(): Sent[] {
  const chat = upstream.requests.filter((r) => r.path === '/v1/chat/completions').at(-1);
  return (chat?.body as { messages: Sent[] } | undefined)?.messages ?? [];
}
const textOf = (m: Sent | undefined) =>
  typeof m?.content === 'string' ? m.content : (m?.content ?? []).map((p) => p.text ?? '').join('\n');
const imageUrls = (m: Sent | undefined) =>
  typeof m?.content === 'string'
    ? []
    : (m?.content ?? []).flatMap((p) => (p.image_url ? [p.image_url.url] : []));
const decode = (url: string) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');

const png = () => ({ name: 'error.png', mimetype: 'image/png', content: screenshot });

describe('Slack: images answered by a model that looks at them', { timeout: 120_000 }, () => {
  it('a vision engine gets the stored image with the question, and no OCR text', async () => {
    const { harness, media } = await start({ vision: true });
    await send(harness, 'what does this error mean?', [png()]);
    const question = lastMessages().at(-1);
    const [url] = imageUrls(question);
    expect(url).toMatch(/^data:image\/png;base64,/);
    // The bytes are the sanitized copy in the object store.
    const keyMatch = /media\/slack\/[0-9a-f]{12}\/[0-9a-f]{12}\/[0-9a-f]{64}/.exec(
      harness.fake.messages.map((m) => m.text).join('\n'),
    );
    expect(keyMatch).not.toBeNull();
    const stored = await media.service.readImage(keyMatch?.[0] ?? '');
    expect(decode(url ?? '').equals(stored ?? Buffer.alloc(0))).toBe(true);
    expect(textOf(question)).toContain('what does this error mean?');
    expect(textOf(question)).not.toContain(OCR_MARK);
  });

  it('a text-only engine gets the OCR text as before, and no image', async () => {
    const { harness } = await start({ vision: false });
    await send(harness, 'what does this error mean?', [png()]);
    const question = lastMessages().at(-1);
    expect(typeof question?.content).toBe('string');
    expect(textOf(question)).toContain(OCR_MARK);
    expect(textOf(question)).toContain(ERROR_LINE);
  });

  it('VISION_WITH_OCR: the image and its OCR text together', async () => {
    const { harness } = await start({ vision: true, withOcr: true });
    await send(harness, 'what does this error mean?', [png()]);
    const question = lastMessages().at(-1);
    expect(imageUrls(question)).toHaveLength(1);
    expect(textOf(question)).toContain(ERROR_LINE);
  });

  it('a later question in the thread sees the earlier image again, reloaded from the store', async () => {
    const { harness } = await start({ vision: true });
    await send(harness, 'what does this error mean?', [png()]);
    const first = imageUrls(lastMessages().at(-1));
    await send(harness, 'and which port was it?');
    const messages = lastMessages();
    expect(textOf(messages.at(-1))).toBe('and which port was it?');
    expect(imageUrls(messages.at(-1))).toEqual([]);
    const earlier = messages.find((m) => imageUrls(m).length > 0);
    expect(earlier?.role).toBe('user');
    expect(imageUrls(earlier)).toEqual(first);
    // Memory keeps references, never bytes.
    const raw = await harness.bot.memory.load('slack:T1:D1:-');
    expect(raw[0]?.media?.[0]).toMatchObject({ mimeType: 'image/png' });
    expect(JSON.stringify(raw)).not.toContain('base64');
    expect(raw[0]?.content).toContain('what does this error mean?'); // the text is unchanged
  });

  it('a video: its keyframes go in with their times', async () => {
    const { harness } = await start({ vision: true });
    await send(harness, 'summarize the slide', [{ name: 'talk.mp4', mimetype: 'video/mp4', content: video }]);
    const question = lastMessages().at(-1);
    const parts = question?.content as Part[];
    expect(imageUrls(question).length).toBeGreaterThanOrEqual(2);
    expect(parts.filter((p) => p.type === 'text').map((p) => p.text ?? '')).toEqual(
      expect.arrayContaining([expect.stringMatching(/at 0\.0 s\]$/), expect.stringMatching(/at 1\.0 s\]$/)]),
    );
    // A follow-up reloads the frames, stored beside the video.
    await send(harness, 'and the title?');
    expect(lastMessages().flatMap(imageUrls)).toHaveLength(imageUrls(question).length);
  });

  it('without media:read the model never sees the image, and the sender is told', async () => {
    const { harness } = await start({ vision: true, permissions: scopes('chat:ask', 'media:upload') });
    await send(harness, 'what does this error mean?', [png()]);
    const messages = lastMessages();
    expect(messages.flatMap(imageUrls)).toEqual([]);
    expect(textOf(messages.at(-1))).not.toContain(ERROR_LINE);
    const told = harness.fake.messages.map((m) => m.text);
    expect(told).toContain(MEDIA_READ_DENIED);
  });
});
