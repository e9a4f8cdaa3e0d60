/** `teambot generate --image FILE`: the files read and sniffed (magic bytes), images only. */
import { readFile } from 'node:fs/promises';
import type { ImageInput } from '../inference/types.js';
import { SNIFF_BYTES, sniffType } from '../storage/media/sniff.js';
import { errorMessage } from '../util/error-message.js';

/** commander's collector for a repeatable option. */
export function collectImage(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export async function readImages(paths: readonly string[]): Promise<ImageInput[]> {
  const images: ImageInput[] = [];
  for (const path of paths) {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (error) {
      throw new Error(`--image ${path}: ${errorMessage(error)}`);
    }
    const type = await sniffType(data.subarray(0, SNIFF_BYTES));
    if (type.kind !== 'image') throw new Error(`--image ${path}: not an image (its bytes say ${type.mime}).`);
    images.push({ data: new Uint8Array(data), mimeType: type.mime });
  }
  return images;
}
