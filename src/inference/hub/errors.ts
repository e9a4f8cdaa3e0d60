export type HubErrorCode =
  | 'bad_repo_id'
  | 'bad_endpoint'
  | 'repo_not_found'
  | 'revision_not_found'
  | 'file_not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'gated'
  | 'rate_limited'
  | 'unreachable'
  | 'interrupted'
  | 'server_error'
  | 'http_error'
  | 'not_onnx'
  | 'dtype_missing'
  | 'bad_genai_config'
  | 'size_mismatch';

/** Pulling a model failed; the message says what went wrong and what to do, in one line. */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly code: HubErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}
