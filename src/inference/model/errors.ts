export type ModelErrorCode =
  | 'not_found'
  | 'missing_file'
  | 'bad_file'
  | 'unknown_layout'
  | 'variant_missing'
  | 'unsupported_model'
  | 'device_unavailable'
  | 'bad_input';

/** A model that cannot be loaded or used as asked; the message says what is wrong and what to do. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}
