import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasWebpEncoder, sampleKeyframes, sampleRate } from '../../src/storage/media/keyframes.js';
import { binaries, ffmpegMake, testVideo } from '../helpers/media-fixtures.js';
import { mediaService, origin, refusal, source } from './media-harness.js';

let video: Buffer;
beforeAll(async () => {
  video = await testVideo(3);
});

describe('media ingest: video', () => {
  it('probes duration, codec and resolution; stores the video as sent and a WebP poster', async () => {
    const { service, store } = await mediaService();
    const result = await service.ingest(source('clip.mov', video), origin);
    expect(result).toMatchObject({
      kind: 'video',
      contentType: 'video/mp4',
      size: video.length,
      stored: true,
    });
    expect(result.video).toMatchObject({ codec: 'h264', width: 320, height: 240, audioCodec: 'aac' });
    expect(result.video?.durationSeconds).toBeCloseTo(3, 0);
    expect(await buffer((await store.get(result.key))?.body ?? Readable.from([]))).toEqual(video);
    expect((await store.head(result.key))?.metadata).toMatchObject({
      codec: 'h264',
      width: '320',
      kind: 'video',
    });

    const keyframes = result.keyframes ?? [];
    expect(keyframes.map((k) => k.timestampMs)).toEqual([0, 1000, 2000]);
    for (const frame of keyframes) {
      const meta = await sharp(frame.image).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 240]);
    }
    const poster = await store.get(result.previewKey ?? '');
    expect((await sharp(await buffer(poster?.body ?? Readable.from([]))).metadata()).format).toBe('webp');
  });

  it('caps keyframes, spreading them over a longer video', async () => {
    expect(sampleRate(3, 30)).toBe(1);
    expect(sampleRate(120, 30)).toBe(0.25);
    const { service } = await mediaService({ maxKeyframes: 2 });
    const result = await service.ingest(source('clip.mp4', video), origin);
    expect(result.keyframes?.map((k) => k.timestampMs)).toEqual([0, 1500]);
  });

  it('refuses a video over the length limit, storing nothing', async () => {
    const { service, stored } = await mediaService({ maxVideoSeconds: 2 });
    const error = await refusal(service.ingest(source('long.mp4', video), origin));
    expect(error.code).toBe('too_long');
    expect(error.message).toBe('This video is 3 s long; I accept videos up to 2 s.');
    expect(await stored()).toEqual([]);
  });

  it('stores an MP4 with sound only as audio', async () => {
    const soundOnly = await ffmpegMake(
      ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', '-f', 'mp4'],
      'mp4',
    );
    const { service } = await mediaService();
    const result = await service.ingest(source('voice.mp4', soundOnly), origin);
    expect(result).toMatchObject({ kind: 'audio', contentType: 'audio/mp4', size: soundOnly.length });
    expect(result.video).toBeUndefined();
  });

  it('refuses a truncated MP4 with a clear message', async () => {
    const { service, stored } = await mediaService();
    const error = await refusal(
      service.ingest(source('cut.mp4', video.subarray(0, video.length / 2)), origin),
    );
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/^The video could not be read: it looks damaged or truncated/);
    expect(await stored()).toEqual([]);
  });
});

describe('keyframes without libwebp in ffmpeg', () => {
  it('converts JPEG frames to WebP with sharp', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teambot-nowebp-'));
    try {
      // The real ffmpeg, with libwebp hidden from `-encoders` (as in builds without it).
      const wrapper = join(dir, 'ffmpeg');
      await writeFile(
        wrapper,
        `#!/bin/sh\nif [ "$2" = "-encoders" ]; then "${binaries.ffmpeg}" "$@" | grep -v libwebp; exit 0; fi\nexec "${binaries.ffmpeg}" "$@"\n`,
        { mode: 0o755 },
      );
      expect(await hasWebpEncoder(wrapper)).toBe(false);
      expect(await hasWebpEncoder(binaries.ffmpeg)).toBe(true);
      const file = join(dir, 'clip.mp4');
      await writeFile(file, video);
      const frames = await sampleKeyframes(file, {
        ffmpeg: wrapper,
        durationSeconds: 3,
        maxFrames: 30,
        maxSide: 160,
        timeoutMs: 30_000,
      });
      expect(frames.map((f) => f.timestampMs)).toEqual([0, 1000, 2000]);
      const meta = await sharp(frames[0]?.image ?? Buffer.alloc(0)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 160, 120]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ffmpeg timeouts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'teambot-hung-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Pids of processes whose command line mentions `text`. */
  async function processesMentioning(text: string): Promise<number[]> {
    const pids: number[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(text)) pids.push(Number(entry));
    }
    return pids;
  }

  it('SIGKILLs an ffmpeg that hangs (reading a pipe nobody writes to)', async () => {
    const fifo = join(dir, 'never.mp4');
    await promisify(execFile)('mkfifo', [fifo]);
    const started = Date.now();
    const error = await refusal(
      sampleKeyframes(fifo, {
        ffmpeg: binaries.ffmpeg,
        durationSeconds: 3,
        maxFrames: 3,
        maxSide: 320,
        timeoutMs: 800,
      }),
    );
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await processesMentioning(fifo)).toEqual([]);
  });
});
