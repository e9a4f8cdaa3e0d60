import * as ort from 'onnxruntime-node';
import { sampleRect, writeNormalized } from './crop.js';
import type { Raster, RotatedRect } from './types.js';

const HEIGHT = 48;
const WIDTH = 192;
const BATCH = 16;
/** For each reading rectangle, the direction classifier's probability that its text is upside down. */
export async function upsideDownProbability(
  session: ort.InferenceSession,
  src: Raster,
  rects: RotatedRect[],
): Promise<number[]> {
  const result: number[] = [];
  for (let start = 0; start < rects.length; start += BATCH) {
    const batch = rects.slice(start, start + BATCH);
    const data = new Float32Array(batch.length * 3 * HEIGHT * WIDTH);
    batch.forEach((rect, slot) => {
      const width = Math.max(1, Math.min(WIDTH, Math.ceil((HEIGHT * rect.width) / Math.max(1, rect.height))));
      writeNormalized(sampleRect(src, rect, width, HEIGHT), data, slot, WIDTH);
    });
    const input = new ort.Tensor('float32', data, [batch.length, 3, HEIGHT, WIDTH]);
    const outputs = await session.run({ [session.inputNames[0] as string]: input });
    const output = outputs[session.outputNames[0] as string] as ort.Tensor;
    const probs = output.data as Float32Array;
    for (let i = 0; i < batch.length; i++) {
      const turned = probs[i * 2 + 1] as number;
      result.push(turned);
    }
    input.dispose();
    output.dispose();
  }
  return result;
}
