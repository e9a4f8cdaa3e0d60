import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { errorMessage } from '../../util/error-message.js';
import { MediaError } from './errors.js';
import type { DetectedType } from './sniff.js';
import type { ImageFacts, MediaLimits } from './types.js';

/** What each accepted input type is stored as. TIFF (metadata-heavy, rarely viewable) becomes PNG. */
const TARGETS: Record<
  string,
  { format: 'jpeg' | 'png' | 'webp' | 'gif' | 'avif'; mime: string; ext: string }
> = {
  'image/jpeg': { format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  'image/png': { format: 'png', mime: 'image/png', ext: 'png' },
  'image/webp': { format: 'webp', mime: 'image/webp', ext: 'webp' },
  'image/gif': { format: 'gif', mime: 'image/gif', ext: 'gif' },
  'image/avif': { format: 'avif', mime: 'image/avif', ext: 'avif' },
  'image/tiff': { format: 'png', mime: 'image/png', ext: 'png' },
};

export const SUPPORTED_IMAGE_TYPES = 'JPEG, PNG, WebP, GIF, AVIF or TIFF';

export interface ProcessedImage {
  /** Auto-oriented, re-encoded, without EXIF/XMP/IPTC/ICC metadata. */
  data: Buffer;
  contentType: string;
  extension: string;
  /** WebP, longer side at most thumbnailSize. */
  preview: Buffer;
  facts: ImageFacts;
}

function encode(image: Sharp, format: (typeof TARGETS)[string]['format']): Sharp {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 90 });
    case 'png':
      return image.png();
    case 'webp':
      return image.webp({ quality: 90 });
    case 'gif':
      return image.gif();
    case 'avif':
      return image.avif();
  }
}

function decodeError(error: unknown): MediaError {
  const message = errorMessage(error);
  const wrapped = /pixel limit/i.test(message)
    ? new MediaError('too_large', 'This image has too many pixels to process.')
    : /unsupported image format/i.test(message)
      ? new MediaError('unsupported', `This image format is not supported; send ${SUPPORTED_IMAGE_TYPES}.`)
      : new MediaError('corrupt', 'The image could not be decoded: it looks damaged or truncated.');
  wrapped.cause = error;
  return wrapped;
}

/**
 * Checks the dimensions from the header (a decompression bomb is refused before any decoding),
 * then re-encodes the image auto-oriented and without metadata (sharp keeps none unless asked;
 * that drops EXIF GPS), keeping every frame of an animation, and makes a WebP thumbnail.
 */
export async function processImage(
  input: string | Buffer,
  type: DetectedType,
  limits: MediaLimits,
): Promise<ProcessedImage> {
  const target = TARGETS[type.mime];
  if (target === undefined) {
    const name = type.extension.toUpperCase();
    throw new MediaError('unsupported', `${name} images are not supported; send ${SUPPORTED_IMAGE_TYPES}.`);
  }
  const meta = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw decodeError(error);
    });
  const pages = meta.pages ?? 1;
  const frameHeight = meta.pageHeight ?? meta.height ?? 0;
  const width = meta.width ?? 0;
  if (width * frameHeight > limits.maxImagePixels) {
    const mp = (limits.maxImagePixels / 1e6).toFixed(0);
    throw new MediaError(
      'too_large',
      `This image is ${width}×${frameHeight} pixels; I accept at most ${mp} megapixels per image.`,
    );
  }
  const animated = pages > 1 && (target.format === 'gif' || target.format === 'webp');
  const options: SharpOptions = {
    limitInputPixels: limits.maxImagePixels,
    autoOrient: true,
    failOn: 'warning',
    animated,
  };
  const size = limits.thumbnailSize;
  try {
    const [full, preview] = await Promise.all([
      encode(sharp(input, options), target.format).toBuffer({ resolveWithObject: true }),
      sharp(input, { ...options, animated: false })
        .resize(size, size, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 })
        .toBuffer(),
    ]);
    const height = animated ? (full.info.pageHeight ?? frameHeight) : full.info.height;
    return {
      data: full.data,
      contentType: target.mime,
      extension: target.ext,
      preview,
      facts: { width: full.info.width, height, pages: animated ? pages : 1, animated },
    };
  } catch (error) {
    throw decodeError(error);
  }
}
