import { execFile } from 'node:child_process';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);
export const CACHE = join(import.meta.dirname, '..', '..', '.cache', 'bench-media');

async function cached(name: string, make: (path: string) => Promise<void>): Promise<string> {
  await mkdir(CACHE, { recursive: true });
  const path = join(CACHE, name);
  const exists = await stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
  if (!exists) {
    const temp = `${path}.${process.pid}.tmp`;
    await make(temp);
    await rename(temp, path);
  }
  return path;
}

/** A 4000×3000 (12-megapixel) JPEG of gaussian noise over a gradient, quality 85, with EXIF. */
export function photo12mp(): Promise<string> {
  return cached('photo-12mp.jpg', async (path) => {
    const width = 4000;
    const height = 3000;
    const noise = await sharp({
      create: {
        width,
        height,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 24 },
      },
    })
      .png()
      .toBuffer();
    const gradient = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g"><stop offset="0" stop-color="#1e6091"/><stop offset="1" stop-color="#f4a261"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
    );
    await sharp(gradient)
      .composite([{ input: noise, blend: 'soft-light' }])
      .jpeg({ quality: 85 })
      .withExif({ IFD0: { Make: 'BenchCam', Model: 'B-12' } })
      .toFile(path);
  });
}

/** An MPEG-4 video of ffmpeg's testsrc2 at a high bitrate, cut at `bytes` (about 200 MB). */
export function bigVideo(ffmpeg: string, bytes = 200_000_000): Promise<string> {
  return cached(`video-${bytes}.mp4`, async (path) => {
    await run(
      ffmpeg,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=1280x720:rate=30:duration=300',
        '-c:v',
        'mpeg4',
        '-q:v',
        '1',
        '-pix_fmt',
        'yuv420p',
        '-fs',
        String(bytes),
        '-f',
        'mp4',
        path,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  });
}
