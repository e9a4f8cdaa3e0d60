/** What bench/vision.ts hands each side (bench/vision/teambot-side.ts, peer-side.ts). */
import type { BenchDtype } from '../protocol.js';

export interface VisionJob {
  modelDir: string;
  /** The picture both sides look at (PNG). */
  imagePath: string;
  tokens: number;
  threads: number;
  dtype: BenchDtype;
  /** teambot's rows per decode step (the most concurrent requests measured). */
  maxBatchSize: number;
}

/** One request's time to first token and decode rate, in ms from the start of its burst. */
export interface VisionFigures {
  concurrency: number;
  /** Mean over the burst's requests. */
  ttftMs: number;
  /** Mean over requests of (new tokens - 1) / (end - first token). */
  decodeTokPerS: number;
  /** All new tokens of the burst / its wall time. */
  totalTokPerS: number;
  newTokens: number;
  promptTokens: number;
}
