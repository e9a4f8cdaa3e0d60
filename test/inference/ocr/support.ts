import { afterAll, beforeAll } from 'vitest';
import { OcrReader } from '../../../src/inference/ocr/reader.js';

/** One real OCR reader (onnxruntime CPU sessions on the bundled PP-OCRv4 models) per test file. */
export function useOcrReader(): () => OcrReader {
  let reader: OcrReader | undefined;
  beforeAll(async () => {
    reader = await OcrReader.open({ device: 'cpu', threads: 1 });
  });
  afterAll(async () => {
    await reader?.close();
  });
  return () => {
    if (reader === undefined) throw new Error('the OCR reader is not open yet');
    return reader;
  };
}
