import { errorMessage } from '../../../../util/error-message.js';
import { sleep } from '../../../../util/sleep.js';
/** Lark's error codes the adapter acts on. */
export const LARK_CODES = {
  /** The app lacks a scope the call needs (HTTP 400, `permission_violations` in the body). */
  missingScope: 99991672,
  /** Too many requests. */
  rateLimited: 99991400,
  invalidToken: 99991663,
} as const;

const HINTS: Record<number, string> = {
  [LARK_CODES.missingScope]: 'the app lacks a scope; add it in the developer console and publish a version',
  [LARK_CODES.rateLimited]: 'Lark rate-limited the app',
  [LARK_CODES.invalidToken]: 'the tenant access token is not valid: check LARK_APP_ID and LARK_APP_SECRET',
  230002: 'the bot is not in this chat',
  230011: 'the message to reply to was recalled',
  230099: 'the card is too large',
};

/** A non-2xx HTTP answer from the OpenAPI, with Lark's `{code, msg}` when the body had them. */
export class LarkHttpError extends Error {
  override readonly name = 'LarkHttpError';
  readonly code: number | undefined;
  readonly msg: string | undefined;
  constructor(
    readonly status: number,
    method: string,
    path: string,
    readonly body: unknown,
  ) {
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const code = typeof fields.code === 'number' ? fields.code : undefined;
    const msg = typeof fields.msg === 'string' ? fields.msg : undefined;
    super(
      `Lark ${method} ${path} answered HTTP ${status}${code === undefined ? '' : ` (code ${code}: ${msg})`}`,
    );
    this.code = code;
    this.msg = msg;
  }
}

/** An OpenAPI call that failed, named by the SDK method, with Lark's code and a hint. */
export class LarkApiError extends Error {
  override readonly name = 'LarkApiError';
  constructor(
    readonly method: string,
    /** Lark's `code`, or undefined when the call failed before Lark answered (network, timeout). */
    readonly code: number | undefined,
    /** The HTTP status, or undefined for network failures. */
    readonly status: number | undefined,
    detail: string,
    cause: unknown,
    /** The request failed on the way (network, timeout): Lark may or may not have carried it out. */
    readonly network = false,
  ) {
    const hint = code === undefined ? undefined : HINTS[code];
    super(`Lark ${method} failed: ${detail}${hint === undefined ? '' : ` — ${hint}`}`, { cause });
  }
}

export function toLarkApiError(method: string, error: unknown): LarkApiError {
  if (error instanceof LarkApiError) return error;
  if (error instanceof LarkHttpError) {
    return new LarkApiError(
      method,
      error.code,
      error.status,
      `HTTP ${error.status}${error.code === undefined ? '' : `, code ${error.code} ${error.msg ?? ''}`}`.trim(),
      error,
    );
  }
  const message = errorMessage(error);
  return new LarkApiError(method, undefined, undefined, message, error, isNetworkFailure(error));
}

/** fetch's own failures (TypeError), timeouts and dropped connections: Lark may never have seen the call. */
function isNetworkFailure(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'AbortError' ||
    error.name === 'TimeoutError' ||
    /timed out|ECONNRESET|ECONNREFUSED|socket hang up|other side closed/i.test(error.message)
  );
}

/** Rate limits, 5xx answers and network failures; not business errors, which would fail again. */
export function isRetryable(error: LarkApiError): boolean {
  if (error.code === LARK_CODES.rateLimited || error.status === 429) return true;
  if (error.status !== undefined) return error.status >= 500;
  return error.network;
}

export function isMissingScope(error: unknown): boolean {
  return error instanceof LarkApiError && error.code === LARK_CODES.missingScope;
}

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** Wait before the n-th retry: n × delayMs. */
  delayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, delayMs: 300 };

/**
 * Runs one OpenAPI call: an answer with a non-zero `code` or a failed request becomes a
 * LarkApiError naming the method; retryable failures are tried again. Only calls that are safe to
 * repeat come here: sends carry a `uuid` (Lark drops a repeat within an hour), CardKit operations a
 * `uuid` and `sequence`, and a patch replaces the whole card.
 */
export async function callLark<T>(
  method: string,
  call: () => Promise<T>,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await call();
      const fields = (typeof result === 'object' && result !== null ? result : {}) as {
        code?: unknown;
        msg?: unknown;
      };
      if (typeof fields.code === 'number' && fields.code !== 0) {
        throw new LarkApiError(
          method,
          fields.code,
          200,
          `code ${fields.code} ${String(fields.msg ?? '')}`,
          result,
        );
      }
      return result;
    } catch (error) {
      const failure = toLarkApiError(method, error);
      if (attempt >= retry.retries || !isRetryable(failure)) throw failure;
      await sleep(retry.delayMs * (attempt + 1));
    }
  }
}
