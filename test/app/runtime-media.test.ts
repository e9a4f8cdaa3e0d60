import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.js';
import { loadConfig } from '../../src/config/load.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import { attachment, png } from '../helpers/media-fixtures.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../helpers/s3rver.js';

let s3: RunningS3rver;
let dataDir: string;
beforeAll(async () => {
  s3 = await startS3rver();
  dataDir = await mkdtemp(join(tmpdir(), 'teambot-runtime-media-'));
});
afterAll(async () => {
  await s3.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A runtime on a new bucket of the s3rver (credentials through the SDK's default chain) with `env` on top. */
async function s3Runtime(env: Record<string, string>) {
  const bucket = await s3.newBucket();
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  const config = loadConfig({
    DATA_DIR: dataDir,
    S3_BUCKET: bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'us-east-1',
    ...env,
  });
  const runtime = await createRuntime(config, captureLogger().logger, {
    defaultPublicUrl: 'http://127.0.0.1:3000',
    version: 'test',
  });
  return { bucket, runtime };
}

describe('runtime with S3_BUCKET', () => {
  it('stores media in the bucket, presigns links for S3_PUBLIC_ENDPOINT, and reports s3 in /ready', async () => {
    const { bucket, runtime } = await s3Runtime({
      MODEL: 'none',
      S3_PUBLIC_ENDPOINT: 'https://media.example.com',
    });
    try {
      expect(runtime.objects.kind).toBe('s3');
      expect(await runtime.readinessChecks.objects?.()).toEqual({ ok: true, detail: 's3' });
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
      const reply = recordingReplier();
      await runtime.bot.pipeline.handle(
        message({
          text: '',
          attachments: [
            {
              kind: 'file',
              name: 'report.pdf',
              size: pdf.length,
              open: async () => new Response(pdf).body as ReadableStream<Uint8Array>,
            },
          ],
        }),
        reply,
      );
      const text = reply.sent[0]?.text ?? '';
      expect(text).toMatch(
        /^Stored file `report\.pdf`: PDF, 48 B · \[open\]\(https:\/\/media\.example\.com\//,
      );
      expect(text).toContain('X-Amz-Expires=86400');
      const keys = await s3.keys(bucket);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(/^media\/slack\/[0-9a-f]{12}\/[0-9a-f]{12}\/[0-9a-f]{64}$/);
    } finally {
      await runtime.close();
    }
  });
});

describe('runtime with a remote engine that sees', () => {
  it('OPENAI_VISION and OPENAI_IMAGE_TRANSPORT=url: the bot sends a presigned link to the stored image', async () => {
    const upstream = await startFakeOpenAI();
    const { bucket, runtime } = await s3Runtime({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_MODEL: 'vl',
      OPENAI_VISION: 'true',
      OPENAI_IMAGE_TRANSPORT: 'url',
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
      await upstream.close();
    }
  });
});
