import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.js';
import { loadConfig } from '../../src/config/load.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { attachment, png } from '../helpers/media-fixtures.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../helpers/s3rver.js';

let s3: RunningS3rver;
let upstream: FakeOpenAI;
let dataDir: string;
beforeAll(async () => {
  s3 = await startS3rver();
  upstream = await startFakeOpenAI();
  dataDir = await mkdtemp(join(tmpdir(), 'teambot-runtime-vision-'));
});
afterAll(async () => {
  await upstream.close();
  await s3.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('runtime with a remote engine that sees', () => {
  it('OPENAI_VISION and OPENAI_IMAGE_TRANSPORT=url: the bot sends a presigned link to the stored image', async () => {
    const bucket = await s3.newBucket();
    process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    const config = loadConfig({
      DATA_DIR: dataDir,
      OPENAI_BASE_URL: upstream.url,
      OPENAI_MODEL: 'vl',
      OPENAI_VISION: 'true',
      OPENAI_IMAGE_TRANSPORT: 'url',
      S3_BUCKET: bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_REGION: 'us-east-1',
    });
    const runtime = await createRuntime(config, captureLogger().logger, {
      defaultPublicUrl: 'http://127.0.0.1:3000',
      version: 'test',
    });
    try {
      expect(runtime.engine.info().vision).toBe(true);
      const image = await png(32, 16);
      await runtime.bot.pipeline.handle(
        message({ text: 'what colour is it?', attachments: [attachment('pic.png', image, 'image')] }),
        recordingReplier(),
      );
      const chat = upstream.requests.filter((r) => r.path === '/v1/chat/completions').at(-1);
      const messages = (chat?.body as { messages: { content: unknown }[] } | undefined)?.messages ?? [];
      const parts = messages.at(-1)?.content as { type: string; image_url?: { url: string } }[];
      const url = parts.find((p) => p.type === 'image_url')?.image_url?.url ?? '';
      expect(url.startsWith(`${s3.endpoint}/${bucket}/media/`)).toBe(true);
      expect(url).toContain('X-Amz-Expires=900');
      const fetched = await fetch(url);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toBe('image/png');
    } finally {
      await runtime.close();
    }
  });
});
