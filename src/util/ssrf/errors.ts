export type FetchRefusalCode =
  | 'invalid_url'
  | 'refused_address'
  | 'unreachable'
  | 'bad_status'
  | 'too_many_redirects'
  | 'too_large'
  | 'timeout';

/** A URL the guard would not fetch, or a fetch that failed; the message is safe to show the caller. */
export class FetchRefusedError extends Error {
  override readonly name = 'FetchRefusedError';
  constructor(
    readonly code: FetchRefusalCode,
    message: string,
  ) {
    super(message);
  }
}
