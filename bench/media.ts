/**
 * `npm run bench:media`: (1) a 12-megapixel JPEG through the whole ingest (stream to a temp file
 * with sniffing, size cap and hashing, sanitize, thumbnail, store on the filesystem) against the
 * same sharp work alone on the bytes in memory, interleaved; (2) the peak RSS of a child process
 * ingesting a ~200 MB video. Prints one JSON line; rewrites the `media` section of docs/benchmarks.md.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import sharp from 'sharp';
import { findMediaBinaries } from '../src/storage/media/binaries.js';
import { MediaService } from '../src/storage/media/service.js';
import { DEFAULT_MEDIA_LIMITS } from '../src/storage/media/types.js';
import { FsObjectStore } from '../src/storage/object/fs.js';
import { bigVideo, photo12mp } from './media/fixtures.js';
import { type MediaReport, renderMediaSection } from './media/markdown.js';
import { writeNamedSection } from './ocr/section.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean' },
    'no-docs': { type: 'boolean' },
    'video-mb': { type: 'string' },
  },
});
const quick = values.quick === true;
const runs = Number(values.runs ?? (quick ? 2 : 9));
const videoBytes = Number(values['video-mb'] ?? (quick ? 20 : 200)) * 1_000_000;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const loadStart = loadavg()[0] ?? 0;
const binaries = findMediaBinaries(process.env);
const limits = DEFAULT_MEDIA_LIMITS;

log('making the 12-megapixel JPEG…');
const photoPath = await photo12mp();
const photo = await readFile(photoPath);
const meta = await sharp(photo).metadata();

/** The sharp work the ingest does for a JPEG, with the same options, on the bytes in memory. */
async function sharpAlone(): Promise<void> {
  const options = { limitInputPixels: limits.maxImagePixels, autoOrient: true, failOn: 'warning' as const };
  const size = limits.thumbnailSize;
  await sharp(photo, { limitInputPixels: false }).metadata();
  await Promise.all([
    sharp(photo, options).jpeg({ quality: 90 }).toBuffer(),
    sharp(photo, options)
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer(),
  ]);
}

async function thumbnailOnly(): Promise<void> {
  const size = limits.thumbnailSize;
  await sharp(photo)
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer();
}

const dataDir = await mkdtemp(join(tmpdir(), 'teambot-bench-media-'));
let report: MediaReport;
try {
  const service = new MediaService({
    objects: new FsObjectStore({ dataDir, publicBaseUrl: 'http://x', signingSecret: 'bench' }),
    limits,
    binaries: () => binaries,
  });
  let chat = 0;
  const ingest = async () => {
    chat += 1; // a new chat each time, so every run really stores (content addressing would skip it)
    const result = await service.ingest(
      { name: 'photo.jpg', size: photo.length, open: async () => createReadStream(photoPath) },
      { platform: 'local', workspace: 'bench', chat: `c${chat}`, user: 'u' },
    );
    if (!result.stored) throw new Error('expected the ingest to store the photo');
  };
  const time = async (fn: () => Promise<void>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };

  log('warming up…');
  await ingest();
  await sharpAlone();
  await thumbnailOnly();
  const ingestMs: number[] = [];
  const aloneMs: number[] = [];
  const thumbMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, alternating who goes first, so load from other processes falls on both alike.
    if (i % 2 === 0) {
      ingestMs.push(await time(ingest));
      aloneMs.push(await time(sharpAlone));
    } else {
      aloneMs.push(await time(sharpAlone));
      ingestMs.push(await time(ingest));
    }
    thumbMs.push(await time(thumbnailOnly));
    log(
      `run ${i + 1}/${runs}: ingest ${ingestMs.at(-1)?.toFixed(0)} ms, sharp alone ${aloneMs.at(-1)?.toFixed(0)} ms`,
    );
  }

  log(`making the ${videoBytes / 1e6} MB video (cached in .cache/bench-media)…`);
  const videoPath = await bigVideo(binaries.ffmpeg, videoBytes);
  log('ingesting it in a child process…');
  const child = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'media', 'video-child.ts'), videoPath],
    { maxBuffer: 1024 * 1024, env: process.env },
  );
  const video = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
    bytes: number;
    peakRssMiB: number;
    vmHwmMiB: number;
    rssStartMiB: number;
    ms: number;
    video?: { durationSeconds: number; codec: string; width: number; height: number };
    keyframes: number;
  };

  const ratio = median(ingestMs) / median(aloneMs);
  // Each run's ingest against the sharp-alone run next to it: load from other processes drifts
  // slowly, so the median of these pairs is the steadier figure on a shared machine.
  const paired = median(ingestMs.map((ms, k) => ms / (aloneMs[k] as number)));
  report = {
    bench: 'media',
    date: new Date().toISOString(),
    image: {
      width: meta.width,
      height: meta.height,
      bytes: photo.length,
      runs,
      ingestMs: median(ingestMs),
      sharpAloneMs: median(aloneMs),
      thumbnailOnlyMs: median(thumbMs),
      ratio,
      pairedRatioMedian: paired,
    },
    video: {
      bytes: (await stat(videoPath)).size,
      durationSeconds: video.video?.durationSeconds,
      codec: video.video?.codec,
      resolution: `${video.video?.width}×${video.video?.height}`,
      keyframes: video.keyframes,
      ingestMs: video.ms,
      rssStartMiB: video.rssStartMiB,
      peakRssMiB: video.peakRssMiB,
      vmHwmMiB: video.vmHwmMiB,
    },
    targets: {
      imageRatioAtMost1_5: paired <= 1.5,
      videoPeakRssAtMost150MiB: Math.max(video.peakRssMiB, video.vmHwmMiB) <= 150,
    },
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      sharp: sharp.versions.sharp,
      libvips: sharp.versions.vips,
      loadAvg1m: { start: loadStart, end: loadavg()[0] ?? 0 },
    },
  };
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(report)}\n`);
if (!quick && values['no-docs'] !== true) {
  await writeNamedSection(
    join(import.meta.dirname, '..', 'docs', 'benchmarks.md'),
    'media',
    renderMediaSection(report),
  );
}
