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

type SlackEventListener = (args: { ack: (response?: unknown) => Promise<void> }) => Promise<void>;

/**
 * Socket Mode: Slack pushes over a WebSocket opened with the app token (apps.connections.open).
 * Bolt acks an event envelope before its listeners run; here the ack is held until they return (as
 * `processBeforeResponse` does over HTTP), so a message's envelope is acked once its turn is queued.
 */
export function socketTransport(appToken: string, apiUrl: string | undefined, boltLogger: SlackLogger) {
  const receiver = new SocketModeReceiver({
    appToken,
    logger: boltLogger,
    // The Socket Mode client opens its connection through a WebClient made from these options.
    installerOptions: { clientOptions: apiUrl === undefined ? {} : { slackApiUrl: apiUrl } },
  });
  const client = receiver.client;
  const bolts = client.listeners('slack_event') as SlackEventListener[];
  client.removeAllListeners('slack_event');
  for (const bolt of bolts) {
    client.on('slack_event', async (args: Parameters<SlackEventListener>[0]) => {
      let held: { response?: unknown } | undefined;
      try {
        await bolt({
          ...args,
          ack: async (response?: unknown) => {
            held = { response };
          },
        });
      } finally {
        if (held !== undefined) await args.ack(held.response);
      }
    });
  }
  return receiver;
}
