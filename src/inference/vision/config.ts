/**
 * What a vision-language model directory says about its images (onnx-community layout):
 * preprocessor_config.json (pixel budget, patching, normalization, resampling) and the token ids in
 * config.json (Qwen2-VL family: image, video, vision start and end).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type JsonObject, numberField, objectField } from '../model/json-file.js';
import { readModelJson } from '../model/model-files.js';
import { dtypeOfFileName } from '../model/variants.js';

export interface ImageProcessing {
  patchSize: number;
  temporalPatchSize: number;
  mergeSize: number;
  minPixels: number;
  maxPixels: number;
  /** Per channel (RGB); undefined: no normalization. */
  mean?: [number, number, number];
  std?: [number, number, number];
  /** undefined: no rescaling (do_rescale false). */
  rescaleFactor?: number;
  /** PIL's resampling codes, as transformers.js maps them: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic. */
  resample: number;
}

export interface VisionTokens {
  image: number;
  video: number;
  visionStart: number;
  visionEnd: number;
}

export interface VisionConfig {
  processing: ImageProcessing;
  tokens: VisionTokens;
  /** vision_config.spatial_merge_size: patches merged per side into one visual token. */
  spatialMergeSize: number;
  /** The vision encoder graph per dtype (onnx/vision_encoder*.onnx). */
  encoders: Record<string, string>;
}

function triple(value: unknown, fallback?: [number, number, number]): [number, number, number] | undefined {
  if (typeof value === 'number') return [value, value, value];
  if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'number')) {
    return value as [number, number, number];
  }
  return fallback;
}

/** transformers.js's Qwen2VLImageProcessor reading of preprocessor_config.json. */
export function imageProcessing(pre: JsonObject): ImageProcessing {
  const size = objectField(pre, 'size');
  const patchSize = numberField(pre, 'patch_size') ?? 14;
  const mergeSize = numberField(pre, 'merge_size') ?? 2;
  const normalize = pre.do_normalize === true;
  return {
    patchSize,
    temporalPatchSize: numberField(pre, 'temporal_patch_size') ?? 2,
    mergeSize,
    minPixels: numberField(pre, 'min_pixels') ?? numberField(size, 'shortest_edge') ?? 56 * 56,
    maxPixels: numberField(pre, 'max_pixels') ?? numberField(size, 'longest_edge') ?? 28 * 28 * 1280,
    mean: normalize ? triple(pre.image_mean ?? pre.mean) : undefined,
    std: normalize ? triple(pre.image_std ?? pre.std) : undefined,
    rescaleFactor: pre.do_rescale === false ? undefined : (numberField(pre, 'rescale_factor') ?? 1 / 255),
    resample: numberField(pre, 'resample') ?? 2,
  };
}

/**
 * The directory's vision setup, or undefined when it has no vision encoder, no
 * preprocessor_config.json or no image token (a text-only model).
 */
export async function readVisionConfig(dir: string): Promise<VisionConfig | undefined> {
  const onnxDir = join(dir, 'onnx');
  const files = await readdir(onnxDir).catch(() => [] as string[]);
  const encoders: Record<string, string> = {};
  for (const file of files) {
    const dtype = dtypeOfFileName(file, 'vision_encoder');
    if (dtype !== undefined) encoders[dtype] = join(onnxDir, file);
  }
  if (Object.keys(encoders).length === 0) return undefined;
  const pre = await readModelJson(join(dir, 'preprocessor_config.json'), true);
  const config = await readModelJson(join(dir, 'config.json'), true);
  if (pre === undefined || config === undefined) return undefined;
  const image = numberField(config, 'image_token_id');
  const start = numberField(config, 'vision_start_token_id');
  if (image === undefined || start === undefined) return undefined;
  const processing = imageProcessing(pre);
  return {
    processing,
    tokens: {
      image,
      video: numberField(config, 'video_token_id') ?? image,
      visionStart: start,
      visionEnd: numberField(config, 'vision_end_token_id') ?? start + 1,
    },
    spatialMergeSize:
      numberField(objectField(config, 'vision_config'), 'spatial_merge_size') ?? processing.mergeSize,
    encoders,
  };
}
