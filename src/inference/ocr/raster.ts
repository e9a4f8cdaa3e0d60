import sharp from 'sharp';
import { errorMessage } from '../../util/error-message.js';
import { OcrError } from './errors.js';
import type { Raster } from './types.js';

/** Larger images are refused before they are decoded (sharp's own guard against decompression bombs). */
export const MAX_INPUT_PIXELS = 100_000_000;

function firstLine(error: unknown): string {
  const text = errorMessage(error);
  return (text.split('\n')[0] ?? text).slice(0, 200);
}

/**
 * Decodes an image (a path or its bytes) into 8-bit RGB: EXIF orientation applied, transparency
 * flattened onto white (screenshots with alpha), the first frame of an animation.
 */
export async function loadRaster(input: Uint8Array | string, maxPixels = MAX_INPUT_PIXELS): Promise<Raster> {
  const source =
    typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    const { data, info } = await sharp(source, { limitInputPixels: maxPixels })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    const message = firstLine(error);
    if (/pixel limit/i.test(message)) {
      throw new OcrError('image_too_large', `The image is larger than ${maxPixels} pixels.`, {
        cause: error,
      });
    }
    throw new OcrError('bad_image', `Cannot read the image: ${message}.`, { cause: error });
  }
}

/** Resizes a raster with sharp (Lanczos when shrinking, bicubic-like when growing). */
export async function resizeRaster(raster: Raster, width: number, height: number): Promise<Raster> {
  if (width === raster.width && height === raster.height) return raster;
  const data = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}
