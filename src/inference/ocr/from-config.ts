import type { Config } from '../../config/schema.js';
import { type ClosableReader, lazyReader } from './lazy.js';
import { OcrReader } from './reader.js';
import { OcrThread } from './thread/ocr-thread.js';

type OcrConfig = Pick<Config, 'INFERENCE_DEVICE' | 'INFERENCE_THREADS' | 'OCR_MAX_SIDE'>;

/** The OCR reader with the engine's device settings (INFERENCE_DEVICE, INFERENCE_THREADS) and OCR_MAX_SIDE. */
export function openOcrFromConfig(config: OcrConfig): Promise<OcrReader> {
  return OcrReader.open({
    device: config.INFERENCE_DEVICE,
    threads: config.INFERENCE_THREADS,
    maxSide: config.OCR_MAX_SIDE,
  });
}

/**
 * The same, opened on the first image it is asked to read: what the server builds at start-up.
 * In its own thread (unless `thread` is false): OCR's forward passes never hold the main thread.
 */
export function lazyOcrFromConfig(config: OcrConfig, thread = true): ClosableReader {
  if (!thread) return lazyReader(() => openOcrFromConfig(config));
  return lazyReader(async () => {
    const reader = new OcrThread({
      device: config.INFERENCE_DEVICE,
      threads: config.INFERENCE_THREADS,
      maxSide: config.OCR_MAX_SIDE,
    });
    await reader.warmUp();
    return reader;
  });
}
