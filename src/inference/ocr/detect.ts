import * as ort from 'onnxruntime-node';
import { boxesFromMap, DB_DEFAULTS, type DbOptions } from './db-postprocess.js';
import { scaleRect } from './geometry.js';
import { resizeRaster } from './raster.js';
import type { Raster, RotatedRect } from './types.js';

// ImageNet statistics in the detector's channel order (PaddleOCR feeds BGR).
const MEAN = [0.406, 0.456, 0.485];
const STD = [0.225, 0.224, 0.229];

/** The detector's input size: the longer side at most `maxSide`, both sides multiples of 32. */
export function detectionSize(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const ratio = Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1;
  const round32 = (n: number) => Math.max(32, Math.round((n * ratio) / 32) * 32);
  return { width: round32(width), height: round32(height) };
}

/** NCHW float32 in BGR order, normalized with the ImageNet mean and deviation. */
export function detectionTensor(raster: Raster): ort.Tensor {
  const { width, height, data } = raster;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const value = (data[i * 3 + (2 - c)] as number) / 255;
      out[c * plane + i] = (value - (MEAN[c] as number)) / (STD[c] as number);
    }
  }
  return new ort.Tensor('float32', out, [1, 3, height, width]);
}

export interface Detection {
  rect: RotatedRect;
  score: number;
}

/** Text boxes in the raster's coordinates, from the DB detector's probability map. */
export async function detectText(
  session: ort.InferenceSession,
  raster: Raster,
  maxSide: number,
  options: DbOptions = DB_DEFAULTS,
): Promise<Detection[]> {
  const size = detectionSize(raster.width, raster.height, maxSide);
  const resized = await resizeRaster(raster, size.width, size.height);
  const input = detectionTensor(resized);
  const outputs = await session.run({ [session.inputNames[0] as string]: input });
  const output = outputs[session.outputNames[0] as string] as ort.Tensor;
  const [mapHeight, mapWidth] = output.dims.slice(-2) as [number, number];
  const boxes = boxesFromMap(output.data as Float32Array, mapWidth, mapHeight, options);
  output.dispose();
  input.dispose();
  const sx = raster.width / mapWidth;
  const sy = raster.height / mapHeight;
  return boxes.map((box) => ({ rect: scaleRect(box.rect, sx, sy), score: box.score }));
}
