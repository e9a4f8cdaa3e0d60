/**
 * Child process of `npm run bench:media`: ingests one video into a fresh filesystem store and
 * prints {rssStartMiB, peakRssMiB, vmHwmMiB, ms, facts} as one JSON line. Runs alone so that its
 * peak RSS is the ingest's and nothing else's (ffmpeg and ffprobe are separate processes).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMediaBinaries } from '../../src/storage/media/binaries.js';
import { MediaService } from '../../src/storage/media/service.js';
import { DEFAULT_MEDIA_LIMITS, MB } from '../../src/storage/media/types.js';
import { FsObjectStore } from '../../src/storage/object/fs.js';

const MiB = 1024 * 1024;
const file = process.argv[2];
if (file === undefined) throw new Error('usage: video-child.ts <video file>');

async function vmHwm(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return (kb * 1024) / MiB;
}

const dataDir = await mkdtemp(join(tmpdir(), 'teambot-bench-video-'));
try {
  const size = (await stat(file)).size;
  const service = new MediaService({
    objects: new FsObjectStore({ dataDir, publicBaseUrl: 'http://x', signingSecret: 'bench' }),
    limits: { ...DEFAULT_MEDIA_LIMITS, maxBytes: { ...DEFAULT_MEDIA_LIMITS.maxBytes, video: 256 * MB } },
    binaries: () => findMediaBinaries(process.env),
  });
  globalThis.gc?.();
  const rssStart = process.memoryUsage().rss;
  let peak = rssStart;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  const result = await service.ingest(
    { name: 'big.mp4', size, open: async () => createReadStream(file) },
    { platform: 'local', workspace: 'bench', chat: 'bench', user: 'bench' },
  );
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(
    `${JSON.stringify({
      bytes: size,
      storedBytes: result.size,
      rssStartMiB: rssStart / MiB,
      peakRssMiB: peak / MiB,
      vmHwmMiB: await vmHwm(),
      ms,
      video: result.video,
      keyframes: result.keyframes?.length ?? 0,
    })}\n`,
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
