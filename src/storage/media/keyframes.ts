import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { MediaError } from './errors.js';
import type { VideoKeyframe } from './types.js';

export interface KeyframeOptions {
  ffmpeg: string;
  durationSeconds: number;
  /** Most frames; at 1 per second, spread evenly over videos longer than that many seconds. */
  maxFrames: number;
  /** Longer side of each frame. */
  maxSide: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** Frames per second to sample so that at most `maxFrames` cover the whole video. */
export function sampleRate(durationSeconds: number, maxFrames: number): number {
  return durationSeconds <= maxFrames ? 1 : maxFrames / durationSeconds;
}

const webpSupport = new Map<string, Promise<boolean>>();

/** Whether this ffmpeg build has the libwebp encoder (the static builds do; some distro ones don't). */
export function hasWebpEncoder(ffmpegPath: string): Promise<boolean> {
  let known = webpSupport.get(ffmpegPath);
  if (known === undefined) {
    known = new Promise((resolve) => {
      execFile(
        ffmpegPath,
        ['-hide_banner', '-encoders'],
        { timeout: 10_000, killSignal: 'SIGKILL' },
        (error, stdout) => resolve(error === null && /\slibwebp\s/.test(stdout)),
      );
    });
    webpSupport.set(ffmpegPath, known);
  }
  return known;
}

/**
 * Runs ffmpeg to write frames into `dir` (WebP when it can, else JPEG); SIGKILLs it after
 * `timeoutMs` or on abort.
 */
async function extract(
  input: string,
  dir: string,
  fps: number,
  webp: boolean,
  options: KeyframeOptions,
): Promise<void> {
  const { default: ffmpeg } = await import('fluent-ffmpeg');
  return new Promise((resolve, reject) => {
    const scale = `scale='min(${options.maxSide},iw)':'min(${options.maxSide},ih)':force_original_aspect_ratio=decrease`;
    const command = ffmpeg(input)
      .setFfmpegPath(options.ffmpeg)
      .outputOptions([
        '-an',
        '-sn',
        '-vf',
        `fps=${fps.toFixed(6)},${scale}`,
        '-frames:v',
        String(options.maxFrames),
        ...(webp ? ['-c:v', 'libwebp', '-quality', '80'] : ['-q:v', '3']),
      ])
      .output(join(dir, `frame-%05d.${webp ? 'webp' : 'jpg'}`));
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const kill = (error: MediaError) => {
      command.kill('SIGKILL');
      finish(error);
    };
    const timer = setTimeout(
      () =>
        kill(
          new MediaError(
            'timeout',
            `Processing the video took longer than ${Math.round(options.timeoutMs / 1000)} s.`,
          ),
        ),
      options.timeoutMs,
    );
    const onAbort = () => kill(new MediaError('timeout', 'Processing the video was cancelled.'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    command
      .on('end', () => finish())
      .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
        const detail = stderr?.trim().split('\n').at(-1) ?? error.message;
        const wrapped = new MediaError(
          'corrupt',
          `The video could not be decoded: it looks damaged or truncated (${detail}).`,
        );
        wrapped.cause = error;
        finish(wrapped);
      })
      .run();
  });
}

/**
 * Keyframes at 1 per second (at most `maxFrames`, spread over longer videos), as WebP with their
 * timestamps. Frames go through a temp directory, one at a time, never the whole video in memory.
 */
export async function sampleKeyframes(input: string, options: KeyframeOptions): Promise<VideoKeyframe[]> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-frames-'));
  try {
    const fps = sampleRate(options.durationSeconds, options.maxFrames);
    const webp = await hasWebpEncoder(options.ffmpeg);
    await extract(input, dir, fps, webp, options);
    const files = (await readdir(dir)).filter((f) => f.startsWith('frame-')).sort();
    const frames: VideoKeyframe[] = [];
    for (const [index, file] of files.entries()) {
      const data = await readFile(join(dir, file));
      const image = webp ? data : await sharp(data).webp({ quality: 80 }).toBuffer();
      frames.push({ timestampMs: Math.round((index / fps) * 1000), image });
    }
    if (frames.length === 0) throw new MediaError('corrupt', 'The video has no frames I could decode.');
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
