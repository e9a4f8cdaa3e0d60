import express, { type RequestHandler, type Router } from 'express';
import type { Logger } from '../../../../log/logger.js';
import { tooLarge } from '../../../../util/bounded-body.js';
import type { LarkMetrics } from '../metrics.js';
import type { MountedLarkRouter } from '../options.js';
import { readRawBody } from './body.js';
import { isChallenge, type VerifySettings, verifyLarkRequest } from './verify.js';

export const EVENTS_PATH = '/lark/events';
export const CARDS_PATH = '/lark/cards';

export interface WebhookDeps {
  verify: VerifySettings;
  metrics: LarkMetrics;
  log: Logger;
  /** Takes a verified, decrypted event and returns at once (the work runs after the answer). */
  /** Settles once a message is accepted (a queued durable turn); the 200 waits for it. Never rejects. */
  onEvent(payload: Record<string, unknown>): Promise<void> | undefined;
  /** The same for a card action callback. */
  onCardAction(payload: Record<string, unknown>): void;
}

/**
 * One webhook endpoint: verify, answer the url_verification challenge, otherwise answer 200 `{}`
 * first and only then hand the event over, so Lark has its answer long before its 3 s are up.
 */
function endpoint(
  what: string,
  deps: WebhookDeps,
  deliver: (payload: Record<string, unknown>) => Promise<void> | undefined | void,
): RequestHandler {
  return async (req, res) => {
    const read = await readRawBody(req);
    if (read.kind === 'consumed') {
      deps.log.error(
        `a Lark ${what} body was consumed before the Lark router: mount it before other body parsers`,
      );
      res.status(500).end();
      return;
    }
    if (read.kind === 'too_large') {
      deps.metrics.rejected('too_large');
      tooLarge(res, read.drained);
      return;
    }
    const verdict = verifyLarkRequest(deps.verify, req.headers, read.raw, read.body);
    if (!verdict.ok) {
      deps.metrics.rejected(verdict.reason);
      deps.log.warn({ reason: verdict.reason, what }, 'rejected a Lark request');
      res.status(verdict.status).json({ error: verdict.reason });
      return;
    }
    const { payload } = verdict;
    if (isChallenge(payload)) {
      res.json({ challenge: payload.challenge });
      return;
    }
    // The 200 comes once the delivery is accepted (its turn queued), so a replica that dies after it loses nothing.
    await deliver(payload);
    res.json({});
  };
}

/** POST /lark/events and POST /lark/cards. */
export function webhookRouters(deps: WebhookDeps): MountedLarkRouter[] {
  const events: Router = express.Router();
  events.post('/', endpoint('event', deps, deps.onEvent));
  const cards: Router = express.Router();
  cards.post('/', endpoint('card action', deps, deps.onCardAction));
  return [
    { path: EVENTS_PATH, router: events },
    { path: CARDS_PATH, router: cards },
  ];
}
