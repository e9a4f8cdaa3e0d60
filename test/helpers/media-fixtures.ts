import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { Attachment } from '../../src/bot/message.js';
import { findMediaBinaries } from '../../src/storage/media/binaries.js';

const run = promisify(execFile);
export const binaries = findMediaBinaries(process.env);

/** A noisy RGB image (so JPEG sizes are realistic), made with sharp. */
export async function noiseImage(width: number, height: number): Promise<sharp.Sharp> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** A 64×32 JPEG carrying EXIF GPS coordinates, a camera model and orientation 6 (rotate 90°). */
export async function jpegWithGps(): Promise<Buffer> {
  return (await noiseImage(64, 32))
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Spy 3000' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 29/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 40/1',
      },
    })
    .toBuffer();
}

export async function png(width = 40, height = 30): Promise<Buffer> {
  return (await noiseImage(width, height)).png().toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid-looking PNG header claiming `side`×`side` pixels, with a few hundred bytes of data. */
export function bombPng(side = 60_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const rows = deflateSync(Buffer.alloc((side + 1) * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 1×1 BMP (a format file-type knows and teambot does not accept). */
export function bmp(): Buffer {
  const file = Buffer.alloc(58);
  file.write('BM', 0, 'ascii');
  file.writeUInt32LE(58, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(1, 18);
  file.writeInt32LE(1, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  file.writeUInt32LE(4, 34);
  return file;
}

/** Runs ffmpeg with lavfi sources into a temp file and returns its bytes. */
export async function ffmpegMake(args: string[], extension: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-fixture-'));
  try {
    const out = join(dir, `out.${extension}`);
    await run(binaries.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args, out]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An H.264 MP4 of ffmpeg's testsrc with a sine tone. */
export function testVideo(seconds = 3, size = '320x240'): Promise<Buffer> {
  return ffmpegMake(
    [
      '-f',
      'lavfi',
      '-i',
      `testsrc=size=${size}:rate=10:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
    ],
    'mp4',
  );
}

export function animatedGif(): Promise<Buffer> {
  return ffmpegMake(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=1'], 'gif');
}

export function wav(): Promise<Buffer> {
  return ffmpegMake(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.5'], 'wav');
}

/** A web ReadableStream over `data`, in `chunkSize` pieces, counting how many were pulled. */
export function webStream(
  data: Buffer,
  chunkSize = 64 * 1024,
): ReadableStream<Uint8Array> & { pulled(): number } {
  let offset = 0;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) {
        controller.close();
        return;
      }
      pulled += 1;
      controller.enqueue(new Uint8Array(data.subarray(offset, offset + chunkSize)));
      offset += chunkSize;
    },
  });
  return Object.assign(stream, { pulled: () => pulled });
}

/** An attachment whose download is `data` in one chunk, as an adapter hands it to the pipeline. */
export function attachment(name: string, data: Buffer, kind: Attachment['kind'] = 'file'): Attachment {
  return {
    kind,
    name,
    size: data.length,
    open: async () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(data));
          controller.close();
        },
      }),
  };
}
