/**
 * Qwen2-VL-family image preprocessing with sharp, step for step as transformers.js 4.x does it in
 * Node (which uses sharp too): decode and auto-orient, RGB, resize to the pixel budget
 * (smart-resize.ts) with sharp's affine transform (bilinear/bicubic/nearest, as Pillow resamples) or
 * lanczos3, rescale, normalize, then cut into patches: each row of `pixelValues` is one
 * patch × temporal patch (a still image repeats itself over the temporal patch), channels first,
 * ordered so that every merge × merge block of neighbouring patches is contiguous.
 */
import sharp from 'sharp';
import type { ImageProcessing } from './config.js';
import { smartResize } from './smart-resize.js';

export interface PreparedImage {
  /** [patches, channels × temporal × patch²], row-major. */
  pixelValues: Float32Array;
  /** Patches along time, height and width (image_grid_thw). */
  grid: [number, number, number];
  /** Visual tokens the image takes in the prompt: patches / merge². */
  tokens: number;
}

interface Raw {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

async function toRaw(image: sharp.Sharp): Promise<Raw> {
  const { data, info } = await image.rotate().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** RGB as transformers.js's RawImage.rgb(): grey repeated, alpha dropped (not composited). */
function rgb(image: Raw): Raw {
  if (image.channels === 3) return image;
  const pixels = image.width * image.height;
  const out = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const at = i * image.channels;
    const grey = image.channels < 3;
    out[i * 3] = image.data[at] as number;
    out[i * 3 + 1] = image.data[grey ? at : at + 1] as number;
    out[i * 3 + 2] = image.data[grey ? at : at + 2] as number;
  }
  return { data: out, width: image.width, height: image.height, channels: 3 };
}

const INTERPOLATORS = ['nearest', undefined, 'bilinear', 'bicubic', 'bilinear', 'bilinear'] as const;

async function resize(image: Raw, width: number, height: number, resample: number): Promise<Raw> {
  if (image.width === width && image.height === height) return image;
  const source = sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels as 3 },
  });
  if (resample === 1) return toRaw(source.resize({ width, height, fit: 'fill', kernel: 'lanczos3' }));
  const interpolator = INTERPOLATORS[resample] ?? 'bilinear';
  return toRaw(source.affine([width / image.width, 0, 0, height / image.height], { interpolator }));
}

/** Decodes, orients and resizes an image to its pixel budget: 8-bit RGB, sides multiples of patch × merge. */
export async function resizedImage(
  bytes: Uint8Array,
  processing: ImageProcessing,
  maxPixels = processing.maxPixels,
): Promise<Raw> {
  const decoded = rgb(await toRaw(sharp(bytes, { failOn: 'error' })));
  const factor = processing.patchSize * processing.mergeSize;
  const [width, height] = smartResize(
    decoded.height,
    decoded.width,
    factor,
    Math.min(processing.minPixels, maxPixels),
    maxPixels,
  );
  return resize(decoded, width, height, processing.resample);
}

/** HWC bytes -> rescaled, normalized floats (still HWC). */
function normalized(image: Raw, processing: ImageProcessing): Float32Array {
  const out = Float32Array.from(image.data);
  const { rescaleFactor, mean, std } = processing;
  if (rescaleFactor !== undefined)
    for (let i = 0; i < out.length; i++) out[i] = rescaleFactor * (out[i] as number);
  if (mean !== undefined && std !== undefined) {
    for (let i = 0; i < out.length; i += 3) {
      for (let c = 0; c < 3; c++) out[i + c] = ((out[i + c] as number) - mean[c]) / std[c];
    }
  }
  return out;
}

/** Cuts a normalized HWC image into the encoder's patch rows (see the file comment). */
export function patchify(
  pixels: Float32Array,
  width: number,
  height: number,
  processing: ImageProcessing,
): PreparedImage {
  const { patchSize: p, temporalPatchSize: tp, mergeSize: m } = processing;
  const gh = Math.floor(height / p);
  const gw = Math.floor(width / p);
  const rowWidth = 3 * tp * p * p;
  const out = new Float32Array(gh * gw * rowWidth);
  let row = 0;
  for (let bh = 0; bh < gh / m; bh++)
    for (let bw = 0; bw < gw / m; bw++)
      for (let mh = 0; mh < m; mh++)
        for (let mw = 0; mw < m; mw++) {
          const y0 = (bh * m + mh) * p;
          const x0 = (bw * m + mw) * p;
          let col = row * rowWidth;
          for (let c = 0; c < 3; c++)
            for (let t = 0; t < tp; t++)
              for (let y = 0; y < p; y++)
                for (let x = 0; x < p; x++)
                  out[col++] = pixels[((y0 + y) * width + x0 + x) * 3 + c] as number;
          row++;
        }
  return { pixelValues: out, grid: [1, gh, gw], tokens: (gh * gw) / (m * m) };
}

/**
 * One image (or one video keyframe) as the vision encoder takes it. `maxPixels` lowers the
 * budget below the processor's (video frames share a visual-token budget).
 */
export async function prepareImage(
  bytes: Uint8Array,
  processing: ImageProcessing,
  maxPixels?: number,
): Promise<PreparedImage> {
  const image = await resizedImage(bytes, processing, maxPixels);
  return patchify(normalized(image, processing), image.width, image.height, processing);
}
