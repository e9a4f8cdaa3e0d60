/** Opens a vision-language model's vision encoder beside its decoder (when the directory has one). */
import * as ort from 'onnxruntime-node';
import type { DeviceKind, Dtype } from '../model/variants.js';
import { EmbeddedSession } from '../onnx/embedded-session.js';
import { sessionOptions } from '../onnx/session.js';
import { readVisionConfig } from './config.js';
import { VisionRunner } from './runner.js';

/** Encoder variants with float32 inputs first: the decoder's own dtype wins when present. */
const ENCODER_PREFERENCE: readonly Dtype[] = [
  'fp32',
  'q4',
  'int8',
  'quantized',
  'uint8',
  'bnb4',
  'q4f16',
  'fp16',
];

export interface VisionOpenOptions {
  device: DeviceKind;
  dtype?: Dtype;
  threads: number;
  spin: boolean;
}

/**
 * The model's VisionRunner, or undefined for a text-only model (no onnx/vision_encoder*.onnx, no
 * preprocessor_config.json or no image token id), or a decoder without an embedding graph.
 */
export async function openVision(
  dir: string,
  session: ort.InferenceSession,
  options: VisionOpenOptions,
): Promise<VisionRunner | undefined> {
  const config = await readVisionConfig(dir);
  if (config === undefined || !(session instanceof EmbeddedSession)) return undefined;
  const dtype = [options.dtype, ...ENCODER_PREFERENCE].find((d) => d !== undefined && config.encoders[d]);
  const path = dtype === undefined ? undefined : config.encoders[dtype];
  if (path === undefined) return undefined;
  const encoder = await ort.InferenceSession.create(
    path,
    sessionOptions(options.device, options.threads, options.spin),
  );
  try {
    return new VisionRunner(config, path, encoder, session.embed);
  } catch (error) {
    await encoder.release();
    throw error;
  }
}
