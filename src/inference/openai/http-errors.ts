import { isRecord } from '../../util/is-record.js';
import { EngineError, type EngineErrorCode } from '../errors.js';
import { type Endpoint, redactSecrets } from './endpoint.js';

const MAX_DETAIL = 500;

/** The message in an error body: OpenAI's `{error:{message}}`, Ollama/TGI's `{error}`, `{message}`, `{detail}`. */
export function upstreamMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.trim().slice(0, MAX_DETAIL);
  }
  if (isRecord(parsed)) {
    const { error, message, detail } = parsed;
    if (isRecord(error) && typeof error.message === 'string') return error.message.slice(0, MAX_DETAIL);
    for (const candidate of [error, message, detail]) {
      if (typeof candidate === 'string') return candidate.slice(0, MAX_DETAIL);
    }
  }
  return body.trim().slice(0, MAX_DETAIL);
}

export function codeForStatus(status: number): EngineErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'upstream';
  return 'bad_request';
}

function hintFor(status: number, code: EngineErrorCode): string {
  if (status === 404) return ' Check OPENAI_BASE_URL (it usually ends in /v1) and OPENAI_MODEL.';
  if (code === 'unauthorized') return ' Check OPENAI_API_KEY.';
  return '';
}

/** An EngineError for a non-2xx answer, with the upstream's own message (never the API key). */
export async function errorFromResponse(response: Response, endpoint: Endpoint): Promise<EngineError> {
  let body = '';
  try {
    body = await response.text();
  } catch {
    // The body could not be read; the status alone still says what happened.
  }
  const { status } = response;
  const code = codeForStatus(status);
  const detail = redactSecrets(endpoint, upstreamMessage(body)) || response.statusText;
  const sentence = /[.!?]$/.test(detail) ? detail : `${detail}.`;
  const message = `The inference server at ${endpoint.baseUrl} answered ${status}: ${sentence}`;
  return new EngineError(code, message + hintFor(status, code), {
    status,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
  });
}

/** Retry-After in seconds (what teambot and most servers send); an HTTP date is ignored. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

/**
 * Why a request failed: the first `code` in the cause chain (e.g. ECONNREFUSED under fetch's
 * TypeError), else the innermost message.
 */
function reason(error: unknown): string | undefined {
  let current = error;
  let message: string | undefined;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    if (typeof current.code === 'string') return current.code;
    if (typeof current.message === 'string' && current.message !== '') message = current.message;
    current = current.cause;
  }
  return message === 'fetch failed' ? undefined : message;
}

/** ` (ECONNREFUSED)`-style suffix for a message, or ''. */
function because(error: unknown, endpoint: Endpoint): string {
  const why = reason(error);
  return why === undefined ? '' : ` (${redactSecrets(endpoint, why)})`;
}

/** A fetch that failed before any response: the server could not be reached. */
export function unreachable(error: unknown, endpoint: Endpoint): EngineError {
  const why = because(error, endpoint);
  const message = `Could not reach the inference server at ${endpoint.baseUrl}${why}.`;
  return new EngineError('unreachable', message, { cause: error });
}

/** The connection broke after the answer had started. */
export function brokenStream(error: unknown, endpoint: Endpoint): EngineError {
  const why = because(error, endpoint);
  const message = `The connection to the inference server at ${endpoint.baseUrl} broke mid-answer${why}.`;
  return new EngineError('upstream', message, { cause: error });
}
