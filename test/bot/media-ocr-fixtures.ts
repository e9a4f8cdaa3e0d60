import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegMake } from '../helpers/media-fixtures.js';

/** An H.264 MP4 showing one still image for `seconds` (a slide in a screen recording). */
export async function videoOfImage(image: Buffer, seconds: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-slide-'));
  try {
    const path = join(dir, 'slide.png');
    await writeFile(path, image);
    return await ffmpegMake(
      [
        '-loop',
        '1',
        '-i',
        path,
        '-t',
        String(seconds),
        '-r',
        '5',
        '-vf',
        'pad=ceil(iw/2)*2:ceil(ih/2)*2',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
      ],
      'mp4',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
