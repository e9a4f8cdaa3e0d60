import type { Config } from '../../config/schema.js';
import type { ObjectStore } from '../object/types.js';
import { findMediaBinaries, type MediaBinaries } from './binaries.js';
import { MediaError } from './errors.js';
import { MediaService } from './service.js';
import { MB, type MediaLimits } from './types.js';

export function mediaLimitsFromConfig(config: Config): MediaLimits {
  return {
    maxBytes: {
      image: config.MEDIA_MAX_IMAGE_MB * MB,
      video: config.MEDIA_MAX_VIDEO_MB * MB,
      audio: config.MEDIA_MAX_AUDIO_MB * MB,
      file: config.MEDIA_MAX_FILE_MB * MB,
    },
    maxImagePixels: config.MEDIA_MAX_IMAGE_MEGAPIXELS * 1_000_000,
    maxVideoSeconds: config.MEDIA_MAX_VIDEO_SECONDS,
    maxKeyframes: config.MEDIA_KEYFRAMES_MAX,
    ffmpegTimeoutMs: config.MEDIA_FFMPEG_TIMEOUT_MS,
    thumbnailSize: 320,
  };
}

/**
 * The media service over `objects`. ffmpeg/ffprobe are looked up on the first video, so a host
 * without them still stores images and files; a video then gets a clear message.
 */
export function createMediaService(config: Config, objects: ObjectStore): MediaService {
  let found: MediaBinaries | undefined;
  return new MediaService({
    objects,
    limits: mediaLimitsFromConfig(config),
    binaries: () => {
      if (found !== undefined) return found;
      try {
        found = findMediaBinaries({
          ...process.env,
          FFMPEG_PATH: config.FFMPEG_PATH,
          FFPROBE_PATH: config.FFPROBE_PATH,
        });
        return found;
      } catch (error) {
        const wrapped = new MediaError(
          'unsupported',
          'Videos cannot be processed here (ffmpeg is not installed).',
        );
        wrapped.cause = error;
        throw wrapped;
      }
    },
  });
}
