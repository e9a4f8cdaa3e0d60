export type OcrErrorCode =
  | 'bad_image'
  | 'image_too_large'
  | 'model_missing'
  | 'device_unavailable'
  | 'closed';

/** An OCR failure; the message says what is wrong and what to do. */
export class OcrError extends Error {
  override readonly name = 'OcrError';
  constructor(
    readonly code: OcrErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}
