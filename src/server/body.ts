import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';

const rawBodies = new WeakMap<IncomingMessage, Buffer>();

export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * The exact bytes of a JSON body that `jsonBody()` parsed, for signature checks
 * (Slack's v0 signature, Lark's encrypt key) that must hash what was sent.
 */
export function rawBodyOf(req: IncomingMessage): Buffer | undefined {
  return rawBodies.get(req);
}

/**
 * Parses `application/json` bodies up to `limit` into `req.body` and keeps the
 * raw bytes for `rawBodyOf`. Other content types are left unread for the route.
 */
export function jsonBody(limit: string | number = DEFAULT_BODY_LIMIT): RequestHandler {
  return express.json({
    limit,
    verify: (req, _res, buf) => {
      rawBodies.set(req, buf);
    },
  });
}
