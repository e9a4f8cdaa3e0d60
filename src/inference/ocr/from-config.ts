import type { Config } from '../../config/schema.js';
import { OcrReader } from './reader.js';

/** The OCR reader with the engine's device settings (INFERENCE_DEVICE, INFERENCE_THREADS) and OCR_MAX_SIDE. */
export function openOcrFromConfig(
  config: Pick<Config, 'INFERENCE_DEVICE' | 'INFERENCE_THREADS' | 'OCR_MAX_SIDE'>,
): Promise<OcrReader> {
  return OcrReader.open({
    device: config.INFERENCE_DEVICE,
    threads: config.INFERENCE_THREADS,
    maxSide: config.OCR_MAX_SIDE,
  });
}
