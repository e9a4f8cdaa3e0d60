import { ExpressReceiver, type Logger as SlackLogger, SocketModeReceiver } from '@slack/bolt';
import express, { type Router } from 'express';
import type { Logger } from '../../../../log/logger.js';
import type { SlackMetrics } from '../metrics.js';
import { boltErrorHandlers } from './bolt-errors.js';
import { routableOnly } from './gate.js';
import { verifySlackRequests } from './verify.js';

export interface HttpTransport {
  receiver: ExpressReceiver;
  /** Mounted by the server at /slack/events: events, slash commands and interactivity. */
  router: Router;
}

/**
 * Bolt's ExpressReceiver on one endpoint, the router's root, behind our signature gate and a
 * shape gate (a signed body Bolt cannot route is refused at once with 400).
 * `processBeforeResponse: true`: Slack gets its 200 when the listeners return; they return at once,
 * but a message's waits until its turn is queued (listeners/register.ts), so the ack means it is safe.
 * Bolt's own signature check is off: every request reaches it through our gate, which verifies it.
 */
export function httpTransport(
  signingSecret: string,
  metrics: SlackMetrics,
  log: Logger,
  boltLogger: SlackLogger,
): HttpTransport {
  const receiver = new ExpressReceiver({
    signingSecret,
    endpoints: '/',
    processBeforeResponse: true,
    // verifySlackRequests (below) checked the same HMAC before Bolt sees the request: once is enough.
    signatureVerification: false,
    logger: boltLogger,
    ...boltErrorHandlers(metrics, log),
  });
  const router = express.Router();
  router.post('/', verifySlackRequests(signingSecret, metrics, log), routableOnly(metrics, log));
  router.use(receiver.router);
  return { receiver, router };
}

/** Socket Mode: Slack pushes over a WebSocket opened with the app token (apps.connections.open). */
export function socketTransport(appToken: string, apiUrl: string | undefined, boltLogger: SlackLogger) {
  return new SocketModeReceiver({
    appToken,
    logger: boltLogger,
    // The Socket Mode client opens its connection through a WebClient made from these options.
    installerOptions: { clientOptions: apiUrl === undefined ? {} : { slackApiUrl: apiUrl } },
  });
}
