import type { DeviceKind } from '../model/variants.js';
import { upsideDown } from './classify.js';
import { readingRect, turn180 } from './crop.js';
import { DB_DEFAULTS, type DbOptions } from './db-postprocess.js';
import { detectText } from './detect.js';
import { OcrError } from './errors.js';
import { corners } from './geometry.js';
import { bundledModelPaths, checkModelPaths, loadCharset, type OcrModelPaths } from './models.js';
import { readingRows, rowsText } from './order.js';
import { loadRaster } from './raster.js';
import { recognize } from './recognize.js';
import { type OcrSessionOptions, type OcrSessions, openOcrSessions } from './sessions.js';
import type { ImageTextReader, OcrLine, OcrResult } from './types.js';

export interface OcrOptions extends OcrSessionOptions {
  paths?: OcrModelPaths;
  /** The detector sees the image with its longer side at most this (PaddleOCR: 960). */
  maxSide?: number;
  /** Lines recognized with a lower mean probability are dropped (PaddleOCR's drop_score: 0.5). */
  minConfidence?: number;
  db?: Partial<DbOptions>;
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason ?? new Error('aborted');
}

/** PP-OCRv4 on onnxruntime: detect (DB), turn upside-down crops (classifier), recognize (CTC). */
export class OcrReader implements ImageTextReader {
  private closed = false;

  private constructor(
    private readonly sessions: OcrSessions,
    private readonly charset: string[],
    private readonly maxSide: number,
    private readonly minConfidence: number,
    private readonly db: DbOptions,
  ) {}

  static async open(options: OcrOptions): Promise<OcrReader> {
    const paths = options.paths ?? bundledModelPaths();
    checkModelPaths(paths);
    const charset = loadCharset(paths.dictionary);
    const sessions = await openOcrSessions(paths, options);
    return new OcrReader(
      sessions,
      charset,
      options.maxSide ?? 960,
      options.minConfidence ?? 0.5,
      { ...DB_DEFAULTS, ...options.db },
    );
  }

  device(): { device: DeviceKind; reason: string } {
    return { device: this.sessions.device, reason: this.sessions.reason };
  }

  async read(image: Uint8Array | string, signal?: AbortSignal): Promise<OcrResult> {
    if (this.closed) throw new OcrError('closed', 'The OCR reader is closed.');
    const t0 = performance.now();
    const raster = await loadRaster(image);
    aborted(signal);
    const t1 = performance.now();
    const detections = await detectText(this.sessions.detection, raster, this.maxSide, this.db);
    aborted(signal);
    const t2 = performance.now();
    const upright = detections.map((d) => readingRect(d.rect));
    const turned = await upsideDown(this.sessions.classifier, raster, upright);
    const rects = upright.map((rect, i) => (turned[i] === true ? turn180(rect) : rect));
    aborted(signal);
    const t3 = performance.now();
    const decoded = await recognize(this.sessions.recognition, raster, rects, this.charset);
    const t4 = performance.now();
    const lines: OcrLine[] = [];
    detections.forEach((detection, i) => {
      const text = decoded[i];
      if (text === undefined || text.text.trim() === '' || text.confidence < this.minConfidence) return;
      lines.push({
        text: text.text.trim(),
        confidence: text.confidence,
        box: corners(detection.rect),
        detectionScore: detection.score,
        rotated180: turned[i] === true,
      });
    });
    const rows = readingRows(lines);
    return {
      text: rowsText(rows),
      lines: rows.flat(),
      width: raster.width,
      height: raster.height,
      timings: { decodeMs: t1 - t0, detectMs: t2 - t1, classifyMs: t3 - t2, recognizeMs: t4 - t3 },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { detection, classifier, recognition } = this.sessions;
    await Promise.all([detection.release(), classifier.release(), recognition.release()]);
  }
}
