import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../../../../log/logger.js';
import { rawBodyOf } from '../../../../util/raw-body.js';
import type { SlackMetrics } from '../metrics.js';
import { rejectionReason } from './signature.js';

/** Largest body read here (slash commands and interactivity; JSON bodies come parsed). */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Checks Slack's signature before Bolt sees the request: a bad one gets 401, is counted in
 * `teambot_slack_rejected_requests_total{reason}` and reaches no handler. The exact bytes come
 * from the app's JSON parser (`rawBodyOf`) or are read here (form bodies); either way they are
 * left on `req.rawBody`, where Bolt's ExpressReceiver reads them instead of the spent stream.
 */
export function verifySlackRequests(
  signingSecret: string,
  metrics: SlackMetrics,
  log: Logger,
): RequestHandler {
  return async (req, res, next) => {
    let raw = rawBodyOf(req);
    if (raw === undefined) {
      if (req.readableEnded) {
        log.error(
          'a Slack request body was consumed before the Slack router: mount it before other body parsers',
        );
        res.status(500).end();
        return;
      }
      try {
        raw = await readBody(req, MAX_SLACK_BODY_BYTES);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        res.status(413).end();
        return;
      }
    }
    const reason = rejectionReason(signingSecret, req.headers, raw.toString('utf8'), Date.now());
    if (reason !== undefined) {
      metrics.rejected(reason);
      log.warn({ reason, retry: req.get('x-slack-retry-num') }, 'rejected a Slack request');
      res.status(401).end();
      return;
    }
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
}
