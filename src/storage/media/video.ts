import sharp from 'sharp';
import type { MediaBinaries } from './binaries.js';
import { MediaError } from './errors.js';
import { probeVideo } from './ffprobe.js';
import { sampleKeyframes } from './keyframes.js';
import type { MediaLimits, VideoFacts, VideoKeyframe } from './types.js';

export interface ProcessedVideo {
  facts: VideoFacts;
  keyframes: VideoKeyframe[];
  /** The frame at 1 s (or the first one), WebP, as the poster. */
  poster: Uint8Array;
}

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** Probes the spooled video, refuses over-long ones, and samples keyframes and a poster. */
export async function processVideo(
  path: string,
  binaries: MediaBinaries,
  limits: MediaLimits,
  signal?: AbortSignal,
): Promise<ProcessedVideo> {
  const facts = await probeVideo(binaries.ffprobe, path, limits.ffmpegTimeoutMs);
  if (facts.durationSeconds > limits.maxVideoSeconds) {
    throw new MediaError(
      'too_long',
      `This video is ${Math.round(facts.durationSeconds)} s long; I accept videos up to ${minutes(limits.maxVideoSeconds)}.`,
    );
  }
  const keyframes = await sampleKeyframes(path, {
    ffmpeg: binaries.ffmpeg,
    durationSeconds: facts.durationSeconds,
    maxFrames: limits.maxKeyframes,
    maxSide: Math.max(limits.thumbnailSize, 1280),
    timeoutMs: limits.ffmpegTimeoutMs,
    signal,
  });
  const posterFrame = keyframes.find((k) => k.timestampMs >= 1000) ?? keyframes[0];
  if (posterFrame === undefined) throw new MediaError('corrupt', 'The video has no frames I could decode.');
  const size = limits.thumbnailSize;
  const poster = await sharp(posterFrame.image)
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer();
  return { facts, keyframes, poster };
}
