/**
 * The vision side of a loaded model: its vision encoder (pictures' patches -> one feature row per
 * visual token) and its embedding graph (token ids -> embeddings), both in the onnx-community
 * layout's names (`pixel_values` + `image_grid_thw` or `grid_thw` -> `image_features`;
 * `input_ids` -> `inputs_embeds`).
 */
import * as ort from 'onnxruntime-node';
import type { VisionConfig } from './config.js';
import { floatToHalf } from './half.js';
import type { Grid } from './mrope.js';

const GRID_INPUTS = ['image_grid_thw', 'grid_thw'];

export class VisionRunner {
  private readonly gridInput: string;

  constructor(
    readonly config: VisionConfig,
    /** The encoder's graph file. */
    readonly encoderPath: string,
    private readonly encoder: ort.InferenceSession,
    private readonly embedding: ort.InferenceSession,
  ) {
    const grid = GRID_INPUTS.find((name) => encoder.inputNames.includes(name));
    if (grid === undefined || !encoder.inputNames.includes('pixel_values')) {
      throw new Error(`The vision encoder must take pixel_values and one of ${GRID_INPUTS.join(', ')}.`);
    }
    this.gridInput = grid;
  }

  /** Features of all pictures, one row per visual token, in order ([tokens, hidden]). */
  async encode(pixelValues: Float32Array, grids: readonly Grid[]): Promise<ort.Tensor> {
    const patches = grids.reduce((sum, [t, h, w]) => sum + t * h * w, 0);
    const meta = this.encoder.inputMetadata.find((m) => m.name === 'pixel_values');
    const half = meta?.isTensor === true && meta.type === 'float16';
    const values = new ort.Tensor('float32', pixelValues, [patches, pixelValues.length / patches]);
    const feeds = {
      pixel_values: half ? new ort.Tensor('float16', floatToHalf(pixelValues), values.dims) : values,
      [this.gridInput]: new ort.Tensor('int64', BigInt64Array.from(grids.flat(), BigInt), [grids.length, 3]),
    };
    const outputs = await this.encoder.run(feeds);
    const features = outputs.image_features ?? Object.values(outputs)[0];
    if (features === undefined) throw new Error('The vision encoder returned nothing.');
    return features;
  }

  /** [1, ids, hidden] embeddings of a prompt's token ids. */
  async embed(ids: readonly number[]): Promise<ort.Tensor> {
    const input = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    const outputs = await this.embedding.run({ input_ids: input }, ['inputs_embeds']);
    return outputs.inputs_embeds as ort.Tensor;
  }

  async release(): Promise<void> {
    await this.encoder.release();
  }
}
