import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { findMediaBinaries } from '../../src/storage/media/binaries.js';
import { mediaLimitsFromConfig } from '../../src/storage/media/from-config.js';
import { DEFAULT_MEDIA_LIMITS, MB } from '../../src/storage/media/types.js';

describe('media settings', () => {
  it('default to 20 MB images, 200 MB videos, 10 minutes, 30 keyframes, one-day links', () => {
    const config = loadConfig({});
    expect(mediaLimitsFromConfig(config)).toEqual(DEFAULT_MEDIA_LIMITS);
    expect(config.MEDIA_URL_TTL_SECONDS).toBe(86_400);
    expect(config.S3_MAX_ATTEMPTS).toBe(3);
    const custom = mediaLimitsFromConfig(loadConfig({ MEDIA_MAX_VIDEO_MB: '500', MEDIA_KEYFRAMES_MAX: '5' }));
    expect(custom.maxBytes.video).toBe(500 * MB);
    expect(custom.maxKeyframes).toBe(5);
  });

  it('name a bad value', () => {
    const problems = (() => {
      try {
        loadConfig({
          MEDIA_MAX_IMAGE_MB: '0',
          MEDIA_URL_TTL_SECONDS: '999999999',
          S3_PUBLIC_ENDPOINT: 'ftp://x',
        });
      } catch (error) {
        if (error instanceof ConfigError) return error.problems.join('\n');
      }
      return '';
    })();
    expect(problems).toContain('MEDIA_MAX_IMAGE_MB');
    expect(problems).toContain('MEDIA_URL_TTL_SECONDS');
    expect(problems).toContain('S3_PUBLIC_ENDPOINT');
  });

  it('find ffmpeg from FFMPEG_PATH, then PATH, then the installer packages', async () => {
    const fromPackages = findMediaBinaries({ PATH: '' });
    expect(fromPackages.ffmpeg).toMatch(/@ffmpeg-installer/);
    expect(fromPackages.ffprobe).toMatch(/@ffprobe-installer/);
    const dir = await mkdtemp(join(tmpdir(), 'teambot-bin-'));
    try {
      const { symlink } = await import('node:fs/promises');
      await symlink(fromPackages.ffmpeg, join(dir, 'ffmpeg'));
      await symlink(fromPackages.ffprobe, join(dir, 'ffprobe'));
      expect(findMediaBinaries({ PATH: dir })).toEqual({
        ffmpeg: join(dir, 'ffmpeg'),
        ffprobe: join(dir, 'ffprobe'),
      });
      expect(findMediaBinaries({ PATH: dir, FFMPEG_PATH: fromPackages.ffmpeg }).ffmpeg).toBe(
        fromPackages.ffmpeg,
      );
      expect(() => findMediaBinaries({ FFMPEG_PATH: join(dir, 'missing') })).toThrow(
        /not an executable file/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
