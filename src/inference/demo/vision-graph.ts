/**
 * A stand-in for a Qwen-VL vision encoder in the onnx-community layout, so that the vision work has
 * a model to load: `pixel_values` [patches, channels × temporal × patch²] and `image_grid_thw`
 * [images, 3] in, `image_features` [patches / merge², hidden] out (each 2×2 group of neighbouring
 * patches merged and projected to the text model's width, as the real merger's output is).
 * Random weights: the features mean nothing, their shapes and names are the real ones.
 */
import { DataType, type ModelDef } from '../onnx-proto/onnx-proto.js';
import { GraphBuilder } from './graph-builder.js';
import type { LinearEmitter } from './linear.js';
import { modelDef } from './model-def.js';
import { normalTensor } from './random.js';
import type { DemoSpec } from './spec.js';

export interface VisionShape {
  patchSize: number;
  temporalPatchSize: number;
  mergeSize: number;
  channels: number;
}

/** Qwen3.5: 16-pixel patches; Qwen2.5-VL: 14. Both: 2 frames per temporal patch, 2×2 merge. */
export function visionShape(spec: DemoSpec): VisionShape {
  return { patchSize: spec.arch === 'qwen2_5_vl' ? 14 : 16, temporalPatchSize: 2, mergeSize: 2, channels: 3 };
}

export function patchWidth(shape: VisionShape): number {
  return shape.channels * shape.temporalPatchSize * shape.patchSize * shape.patchSize;
}

export function buildVisionModel(
  spec: DemoSpec,
  seed: number,
  linear: LinearEmitter,
  quantized: boolean,
): ModelDef {
  const shape = visionShape(spec);
  const width = patchWidth(shape);
  const g = new GraphBuilder();
  const merged = width * shape.mergeSize * shape.mergeSize;
  const groups = g.op('Reshape', ['pixel_values', g.int64([-1, merged])]);
  const name = 'visual.merger.proj.weight';
  const weight = {
    data: normalTensor(seed, name, merged * spec.hiddenSize, 1 / Math.sqrt(merged)),
    rows: merged,
    cols: spec.hiddenSize,
  };
  g.op('Identity', [linear(g, groups, name, weight)], { outputs: ['image_features'] });
  const inputs = [
    { name: 'pixel_values', elemType: DataType.FLOAT, shape: ['num_patches', width] },
    { name: 'image_grid_thw', elemType: DataType.INT64, shape: ['num_images', 3] },
  ];
  const outputs = [
    { name: 'image_features', elemType: DataType.FLOAT, shape: ['num_features', spec.hiddenSize] },
  ];
  return modelDef('vision_encoder', g, { inputs, outputs }, quantized);
}

/** OpenAI CLIP's normalization, which Qwen2.5-VL's processor uses. */
const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD = [0.26862954, 0.26130258, 0.27577711];

/**
 * preprocessor_config.json as transformers(.js) reads Qwen-VL image processors. The two families
 * differ as the real ones do: patch size, normalization, resampling (Qwen2.5-VL's is bicubic) and
 * pixel budget (kept small here so that test prompts stay short).
 */
export function buildPreprocessorConfig(spec: DemoSpec): Record<string, unknown> {
  const shape = visionShape(spec);
  const qwen25 = spec.arch === 'qwen2_5_vl';
  return {
    image_processor_type: 'Qwen2VLImageProcessor',
    processor_class: qwen25 ? 'Qwen2_5_VLProcessor' : 'Qwen3VLProcessor',
    do_convert_rgb: true,
    do_resize: true,
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: qwen25 ? CLIP_MEAN : [0.5, 0.5, 0.5],
    image_std: qwen25 ? CLIP_STD : [0.5, 0.5, 0.5],
    ...(qwen25 ? { resample: 3 } : {}),
    patch_size: shape.patchSize,
    temporal_patch_size: shape.temporalPatchSize,
    merge_size: shape.mergeSize,
    min_pixels: qwen25 ? 56 * 56 : 64 * 64,
    max_pixels: qwen25 ? 28 * 28 * 64 : 32 * 32 * 64,
  };
}
