import express, { type RequestHandler } from 'express';
import { keepRawBody } from '../util/raw-body.js';

export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * Parses `application/json` bodies up to `limit` into `req.body` and keeps the
 * raw bytes for `rawBodyOf`. Other content types are left unread for the route.
 */
export function jsonBody(limit: string | number = DEFAULT_BODY_LIMIT): RequestHandler {
  return express.json({
    limit,
    verify: (req, _res, buf) => {
      keepRawBody(req, buf);
    },
  });
}
