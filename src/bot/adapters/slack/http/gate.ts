import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../../../../log/logger.js';
import type { RejectReason, SlackMetrics } from '../metrics.js';
import { parseLikeBolt, unroutableReason } from './routable.js';

/** A 400 Slack does not retry (`X-Slack-No-Retry`): the same bytes would fail the same way. */
export function refuseForGood(res: ServerResponse, reason: string): void {
  if (res.headersSent) return;
  res.writeHead(400, { 'content-type': 'application/json', 'x-slack-no-retry': '1' });
  res.end(JSON.stringify({ error: reason }));
}

/**
 * After the signature check, before Bolt: a verified body Bolt cannot parse or route gets an
 * immediate 400 instead of Bolt's 500 (it throws) or its answer after 3 s (nothing acks it).
 */
export function routableOnly(metrics: SlackMetrics, log: Logger): RequestHandler {
  return (req, res, next) => {
    const raw = (req as IncomingMessage & { rawBody?: Buffer }).rawBody?.toString('utf8') ?? '';
    let reject: { reason: RejectReason; detail: string } | undefined;
    try {
      const detail = unroutableReason(parseLikeBolt(raw, req.headers['content-type']));
      if (detail !== undefined) reject = { reason: 'unroutable', detail };
    } catch {
      reject = { reason: 'malformed_body', detail: 'body does not parse' };
    }
    if (reject === undefined) return next();
    metrics.rejected(reject.reason);
    log.warn({ reason: reject.reason, detail: reject.detail }, 'refused a signed Slack request');
    refuseForGood(res, reject.detail);
  };
}
