import * as ort from 'onnxruntime-node';
import { sampleRect, writeNormalized } from './crop.js';
import { ctcDecode, type Decoded } from './ctc.js';
import { OcrError } from './errors.js';
import type { Raster, RotatedRect } from './types.js';

const HEIGHT = 48;
/** PaddleOCR's batches are at least 320 wide (its rec_image_shape 3,48,320). */
const MIN_WIDTH = 320;
const BATCH = 6;
/** Longer lines are squeezed to this many pixels: a bound on the recognizer's memory. */
const MAX_WIDTH = 48 * 60;

function cropWidth(rect: RotatedRect): number {
  return Math.max(1, Math.min(MAX_WIDTH, Math.ceil((HEIGHT * rect.width) / Math.max(1, rect.height))));
}

/** Recognizes each reading rectangle (already turned upright), batched by similar width. */
export async function recognize(
  session: ort.InferenceSession,
  src: Raster,
  rects: RotatedRect[],
  charset: string[],
): Promise<Decoded[]> {
  const widths = rects.map(cropWidth);
  const order = rects.map((_, i) => i).sort((a, b) => (widths[a] as number) - (widths[b] as number));
  const result: Decoded[] = new Array(rects.length);
  for (let start = 0; start < order.length; start += BATCH) {
    const batch = order.slice(start, start + BATCH);
    const slotWidth = Math.max(MIN_WIDTH, ...batch.map((i) => widths[i] as number));
    const data = new Float32Array(batch.length * 3 * HEIGHT * slotWidth);
    batch.forEach((index, slot) => {
      const crop = sampleRect(src, rects[index] as RotatedRect, widths[index] as number, HEIGHT);
      writeNormalized(crop, data, slot, slotWidth);
    });
    const input = new ort.Tensor('float32', data, [batch.length, 3, HEIGHT, slotWidth]);
    const outputs = await session.run({ [session.inputNames[0] as string]: input });
    const output = outputs[session.outputNames[0] as string] as ort.Tensor;
    const [, steps, classes] = output.dims as [number, number, number];
    if (classes !== charset.length) {
      throw new OcrError(
        'model_missing',
        `The recognizer has ${classes} classes but its dictionary gives ${charset.length}: wrong dictionary file?`,
      );
    }
    const probs = output.data as Float32Array;
    batch.forEach((index, slot) => {
      result[index] = ctcDecode(probs, slot * steps * classes, steps, classes, charset);
    });
    input.dispose();
    output.dispose();
  }
  return result;
}
