/**
 * A stand-in for Qwen3.5's vision encoder in the onnx-community layout, so that the vision work has
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

/** Qwen2-VL / Qwen3.5 image processing: 16-pixel patches, 2 frames per temporal patch, 2×2 merge. */
export const VISION = { patchSize: 16, temporalPatchSize: 2, mergeSize: 2, channels: 3 } as const;

export const PATCH_WIDTH = VISION.channels * VISION.temporalPatchSize * VISION.patchSize * VISION.patchSize;

export function buildVisionModel(
  spec: DemoSpec,
  seed: number,
  linear: LinearEmitter,
  quantized: boolean,
): ModelDef {
  const g = new GraphBuilder();
  const merged = PATCH_WIDTH * VISION.mergeSize * VISION.mergeSize;
  const groups = g.op('Reshape', ['pixel_values', g.int64([-1, merged])]);
  const name = 'visual.merger.proj.weight';
  const weight = {
    data: normalTensor(seed, name, merged * spec.hiddenSize, 1 / Math.sqrt(merged)),
    rows: merged,
    cols: spec.hiddenSize,
  };
  g.op('Identity', [linear(g, groups, name, weight)], { outputs: ['image_features'] });
  const inputs = [
    { name: 'pixel_values', elemType: DataType.FLOAT, shape: ['num_patches', PATCH_WIDTH] },
    { name: 'image_grid_thw', elemType: DataType.INT64, shape: ['num_images', 3] },
  ];
  const outputs = [
    { name: 'image_features', elemType: DataType.FLOAT, shape: ['num_features', spec.hiddenSize] },
  ];
  return modelDef('vision_encoder', g, { inputs, outputs }, quantized);
}

/** preprocessor_config.json as transformers(.js) reads Qwen2-VL-style image processors. */
export function buildPreprocessorConfig(): Record<string, unknown> {
  return {
    image_processor_type: 'Qwen2VLImageProcessor',
    processor_class: 'Qwen3VLProcessor',
    do_convert_rgb: true,
    do_resize: true,
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
    patch_size: VISION.patchSize,
    temporal_patch_size: VISION.temporalPatchSize,
    merge_size: VISION.mergeSize,
    min_pixels: 64 * 64,
    max_pixels: 512 * 512,
  };
}
