import type { DeviceKind } from '../model/variants.js';
import { readingRect } from './crop.js';
import { DB_DEFAULTS, type DbOptions } from './db-postprocess.js';
import { detectText } from './detect.js';
import { OcrError } from './errors.js';
import { corners } from './geometry.js';
import { bundledModelPaths, checkModelPaths, loadCharset, type OcrModelPaths } from './models.js';
import { readingRows, rowsText } from './order.js';
import { classifierFor, readOriented } from './orientation.js';
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
    return new OcrReader(sessions, charset, options.maxSide ?? 960, options.minConfidence ?? 0.5, {
      ...DB_DEFAULTS,
      ...options.db,
    });
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
    const classify = classifierFor(this.sessions.classifier, raster);
    let t3 = t2;
    const read = (rects: Parameters<typeof recognize>[2]) => {
      t3 = performance.now();
      aborted(signal);
      return recognize(this.sessions.recognition, raster, rects, this.charset);
    };
    const oriented = await readOriented(
      classify,
      read,
      detections.map((d) => readingRect(d.rect)),
    );
    const t4 = performance.now();
    const lines: OcrLine[] = [];
    detections.forEach((detection, i) => {
      const reading = oriented[i];
      if (reading === undefined) return;
      const { decoded } = reading;
      if (decoded.text.trim() === '' || decoded.confidence < this.minConfidence) return;
      lines.push({
        text: decoded.text.trim(),
        confidence: decoded.confidence,
        box: corners(detection.rect),
        detectionScore: detection.score,
        rotated180: reading.rotated180,
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
