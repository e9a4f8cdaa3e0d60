import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** The binary an installer package (@ffmpeg-installer/ffmpeg…) ships for this platform, if any. */
function fromPackage(name: string): string | undefined {
  try {
    const found = createRequire(import.meta.url)(name) as { path?: unknown };
    return typeof found.path === 'string' && executable(found.path) ? found.path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where ffmpeg and ffprobe are: FFMPEG_PATH / FFPROBE_PATH, then PATH, then the npm packages that
 * ship static builds (@ffmpeg-installer/ffmpeg, @ffprobe-installer/ffprobe), so `npm ci` is enough.
 */
export function findMediaBinaries(env: {
  FFMPEG_PATH?: string | undefined;
  FFPROBE_PATH?: string | undefined;
  PATH?: string | undefined;
}): MediaBinaries {
  const pick = (name: 'ffmpeg' | 'ffprobe', configured: string | undefined, pkg: string): string => {
    if (configured !== undefined && configured !== '') {
      if (!executable(configured)) throw new Error(`${name} at ${configured} is not an executable file`);
      return configured;
    }
    const found = onPath(name, env.PATH) ?? fromPackage(pkg);
    if (found === undefined) {
      throw new Error(`${name} not found: set ${name.toUpperCase()}_PATH, put it on PATH, or install ${pkg}`);
    }
    return found;
  };
  return {
    ffmpeg: pick('ffmpeg', env.FFMPEG_PATH, '@ffmpeg-installer/ffmpeg'),
    ffprobe: pick('ffprobe', env.FFPROBE_PATH, '@ffprobe-installer/ffprobe'),
  };
}
