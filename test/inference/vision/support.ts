import sharp from 'sharp';
import type { ChatMessage, GenerateRequest, ImageInput } from '../../../src/inference/types.js';

/** A deterministic picture: colour bands whose hue moves with `seed`, as PNG. */
export async function picture(width: number, height: number, seed = 0): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      pixels[at] = (x * 7 + seed * 50) % 256;
      pixels[at + 1] = (y * 5 + seed * 90) % 256;
      pixels[at + 2] = ((x + y) * 3 + seed * 30) % 256;
    }
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

export function asked(content: string, images: ImageInput[] = [], maxTokens = 16): GenerateRequest {
  const message: ChatMessage =
    images.length > 0 ? { role: 'user', content, images } : { role: 'user', content };
  return { messages: [message], maxTokens, temperature: 0 };
}

/** Keyframes of one video: `count` pictures, `stepMs` apart. */
export async function keyframes(count: number, side: number, stepMs: number, videoId = 'video-1') {
  const frames: ImageInput[] = [];
  for (let i = 0; i < count; i++) {
    frames.push({
      data: await picture(side, side, i + 3),
      mimeType: 'image/png',
      videoId,
      videoTimeMs: i * stepMs,
    });
  }
  return frames;
}
