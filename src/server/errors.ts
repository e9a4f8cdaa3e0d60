import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../log/logger.js';
import { requestIdOf, routeLabel } from './request-context.js';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { message: string; id: string };
}

/** Answers `status` with the JSON error body, carrying the request's id. */
export function sendError(req: Request, res: Response, status: number, message: string): void {
  const body: ErrorBody = { error: { message, id: requestIdOf(req) } };
  res.status(status).json(body);
}

/** JSON 404 for anything no route or router handled. */
export const notFound: RequestHandler = (req, res) => sendError(req, res, 404, 'Not found');

/**
 * The last error handler: logs with the request id and answers
 * `{ error: { message, id } }`. Client errors that say they are safe to show
 * (body-parser's 400/413 …) keep their status and message; everything else is
 * a 500 with a generic message, never a stack trace.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const id = requestIdOf(req);
    const client = clientError(err);
    const context = { reqId: id, method: req.method, route: routeLabel(req), path: req.path };
    if (client === undefined) logger.error({ ...context, err }, 'request failed');
    else logger.warn({ ...context, status: client.status, reason: client.message }, 'request rejected');

    if (res.headersSent) {
      // Part of the answer is already out; cutting the connection is the only honest signal left.
      res.destroy();
      return;
    }
    sendError(req, res, client?.status ?? 500, client?.message ?? 'Internal server error');
  };
}

/**
 * The status and message of an error that is the client's fault and safe to show: body-parser's
 * 400/413/415 (`expose`), and the router's 400 for a path parameter that does not decode.
 */
export function clientError(err: unknown): { status: number; message: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, statusCode, expose, message } = err as Record<string, unknown>;
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code > 499) return undefined;
  if (expose !== true && !(err instanceof URIError)) return undefined;
  return { status: code, message: typeof message === 'string' ? message : 'Bad request' };
}
