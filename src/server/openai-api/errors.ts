import type { ErrorRequestHandler, Response } from 'express';
import { EngineError } from '../../inference/errors.js';
import type { Logger } from '../../log/logger.js';
import { clientError } from '../errors.js';

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface ApiFailure {
  status: number;
  body: OpenAIErrorBody;
  /** Seconds, for a Retry-After header. */
  retryAfterS?: number;
  /** The teambot_api_rejections_total reason. */
  reason: string;
}

export function apiFailure(
  status: number,
  message: string,
  options: { type?: string; code?: string; param?: string; retryAfterS?: number; reason?: string } = {},
): ApiFailure {
  const type = options.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  return {
    status,
    body: { error: { message, type, param: options.param ?? null, code: options.code ?? null } },
    retryAfterS: options.retryAfterS,
    reason: options.reason ?? options.code ?? type,
  };
}

export function sendFailure(res: Response, failure: ApiFailure): void {
  if (failure.retryAfterS !== undefined) res.setHeader('retry-after', String(failure.retryAfterS));
  res.status(failure.status).json(failure.body);
}

const retryAfter = (error: EngineError) => Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));

/** How an engine's failure is told to an API client. */
export function failureFor(error: unknown): ApiFailure {
  if (!(error instanceof EngineError)) {
    return apiFailure(500, 'The server failed while generating the answer.', { code: 'internal_error' });
  }
  switch (error.code) {
    case 'bad_request':
      return apiFailure(400, error.message, { code: 'bad_request' });
    case 'busy':
      return apiFailure(429, error.message, {
        type: 'rate_limit_error',
        code: 'engine_busy',
        retryAfterS: retryAfter(error),
        reason: 'busy',
      });
    case 'rate_limited':
      return apiFailure(429, error.message, {
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        retryAfterS: retryAfter(error),
        reason: 'rate_limited',
      });
    case 'not_configured':
      return apiFailure(503, error.message, { code: 'not_configured' });
    case 'timeout':
      return apiFailure(504, error.message, { code: 'timeout' });
    case 'restarted':
      // The engine thread or worker that held it died (it restarts): ask again soon.
      return apiFailure(503, error.message, { code: error.code, retryAfterS: retryAfter(error) });
    case 'cancelled':
      return apiFailure(499, error.message, { code: 'cancelled' });
    default:
      return apiFailure(502, error.message, { code: error.code });
  }
}

/**
 * Errors under /v1 in OpenAI's shape: a body the JSON parser refused keeps its 4xx status
 * (400 malformed, 413 too large); anything else is a 500 without details.
 */
export function apiErrorHandler(logger?: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const client = clientError(err);
    if (client === undefined) logger?.error({ err }, 'API request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const failure = client
      ? apiFailure(client.status, client.message, { code: 'invalid_body' })
      : apiFailure(500, 'Internal server error', { code: 'internal_error' });
    sendFailure(res, failure);
  };
}
