export type EngineErrorCode =
  | 'not_configured'
  | 'timeout'
  | 'unreachable'
  | 'bad_request'
  | 'unauthorized'
  | 'rate_limited'
  | 'busy'
  | 'upstream'
  | 'cancelled'
  | 'protocol'
  /** The engine's thread or worker died while it held the request (it was restarted): ask again. */
  | 'restarted';

/** A coded inference error (bolt-js style): the code drives retries and what users are told. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterMs?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly status: number | undefined;
  /** When the engine (or upstream) said when to try again: a full queue, a 429. */
  readonly retryAfterMs: number | undefined;

  /** Worth trying again later (with the same request). */
  get retryable(): boolean {
    return (
      this.code === 'timeout' ||
      this.code === 'unreachable' ||
      this.code === 'rate_limited' ||
      this.code === 'busy' ||
      this.code === 'upstream' ||
      this.code === 'restarted'
    );
  }
}

/** What a user is told when the engine that held their answer died (the thread or worker restarts). */
export const RESTARTED_MESSAGE = 'The model restarted while answering. Please ask again.';
