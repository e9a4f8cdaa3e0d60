import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { BotDeps } from '../../src/bot/create-bot.js';
import { MediaService } from '../../src/storage/media/service.js';
import { DEFAULT_MEDIA_LIMITS } from '../../src/storage/media/types.js';
import { FsObjectStore } from '../../src/storage/object/fs.js';
import { binaries } from './media-fixtures.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** The bot's media dependency over a filesystem store in a temp dir (removed after the test). */
export async function fsMedia(publicBaseUrl = 'http://teambot.test'): Promise<NonNullable<BotDeps['media']>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'teambot-media-bot-'));
  dirs.push(dataDir);
  const objects = new FsObjectStore({ dataDir, publicBaseUrl, signingSecret: 'test-secret' });
  return {
    service: new MediaService({ objects, limits: DEFAULT_MEDIA_LIMITS, binaries: () => binaries }),
    linkTtlSeconds: 600,
  };
}
