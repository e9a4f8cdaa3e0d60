import type { OcrOptions } from '../reader.js';
import type { OcrResult } from '../types.js';

/** What the OCR thread opens (plain values: no model paths override from tests' memory). */
export type OcrThreadData = Pick<OcrOptions, 'device' | 'threads' | 'maxSide' | 'paths'>;

export type ToOcrThread =
  | { type: 'read'; id: number; image: Uint8Array | string }
  | { type: 'cancel'; id: number }
  | { type: 'close' }
  /** Test hook: the thread exits at once, as a crash would. */
  | { type: 'exit' };

export interface OcrWireError {
  name: string;
  message: string;
  code?: string;
}

export type FromOcrThread =
  | { type: 'ready' }
  | { type: 'open_failed'; error: OcrWireError }
  | { type: 'result'; id: number; result: OcrResult }
  | { type: 'error'; id: number; error: OcrWireError }
  | { type: 'closed' };
