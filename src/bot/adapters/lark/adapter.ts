import { conversationKey } from '../../message.js';
import { handOverAccepted } from '../shared/accept.js';
import { InFlight } from '../shared/in-flight.js';
import { createSdkClient } from './api/client.js';
import { larkBaseUrl } from './api/domain.js';
import { DEFAULT_RETRY } from './api/errors.js';
import { fetchHttpInstance } from './api/http-instance.js';
import { createLarkApi } from './api/lark-api.js';
import { EventClaims } from './events/claims.js';
import { eventDispatcher } from './events/dispatcher.js';
import { eventDecrypter } from './http/crypto.js';
import { webhookRouters } from './http/routes.js';
import { identityLoader } from './identity.js';
import { P2pChats } from './inbound/p2p-chats.js';
import { flattenEvent } from './listeners/fields.js';
import { eventHandlers } from './listeners/register.js';
import { larkMetrics } from './metrics.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_EVENT_TTL_MS,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  DEFAULT_PATCH_INTERVAL_MS,
  DEFAULT_REPLACE_AFTER_MS,
  DEFAULT_SILENT_AFTER_MS,
  DEFAULT_STALE_AFTER_MS,
  DEFAULT_STOP_GRACE_MS,
  DEFAULT_STREAM_INTERVAL_MS,
  type LarkAdapter,
  type LarkAdapterOptions,
} from './options.js';
import { CardKitState } from './reply/cardkit-state.js';
import { larkTargetOf } from './reply/handle.js';
import { larkReplier } from './reply/replier.js';
import { StopMarks } from './reply/stop-marks.js';
import { longConnection } from './ws/long-connection.js';

/**
 * The Lark/Feishu channel, on the SDK's lower-level pieces: its Client (token management, typed
 * OpenAPI calls, over our fetch-based HttpInstance), EventDispatcher (the one entry for both
 * transports), WSClient (long connection) and AESCipher (webhook decryption).
 *
 * Why not the SDK's high-level `createLarkChannel` (1.74.0, docs/channel.md and lib/index.js read):
 * - No webhook mode to speak of: `transport: 'webhook'` only skips the WebSocket, and the
 *   dispatcher one would plug into an HTTP route is private. adaptExpress would not do either: it
 *   hashes `JSON.stringify(req.body)` instead of the raw bytes, never checks the verification token
 *   of events, and answers 200 (with no body) to a bad signature, so nothing can be refused or counted.
 * - Its dedup is check-then-set: the seen-mark is written only after the handler finished and the
 *   in-flight lock lives in memory, so two replicas (or a retry during a long answer) both answer,
 *   even with a shared cache. Here the event id is claimed with SET NX in the shared KV store, and
 *   the pipeline claims the message id.
 * - Its sends retry network errors without a `uuid`, which can post an answer twice. Its stream
 *   swallows a failed CardKit update (the rest of the answer never shows, no fallback), a failed
 *   card.create (missing scope) rejects the whole answer, and its throttle fires as soon as 50
 *   characters are pending, which can exceed ~10 operations a second per card.
 * - `downloadResource` uses im.v1.image/file.get, which serve only files the bot uploaded, and
 *   buffers the whole file; users' files need im.v1.messageResource.get, streamed with a limit.
 * - It batches a chat's messages into one and renders media as XML-like tags in the text, where
 *   teambot's pipeline wants one InboundMessage per Lark message, with Attachments.
 * What it does well is kept: the stale-message drop, "mentioned" by open_id only, CardKit streaming
 * with the full text, a rising sequence and a uuid per operation, and a new card when one is full.
 * The domain was not the obstacle: the Client, WSClient and channel all take any base URL (the
 * tests point the WSClient at a local WebSocket server speaking its protobuf frames).
 */
export function createLarkAdapter(options: LarkAdapterOptions): LarkAdapter {
  const { mode } = options;
  if (mode === 'webhook' && options.encryptKey === undefined && options.verificationToken === undefined) {
    throw new Error('Lark webhook mode needs LARK_ENCRYPT_KEY or LARK_VERIFICATION_TOKEN to check requests');
  }
  const log = options.logger;
  const sdkLog = log.child({ component: 'lark-sdk' });
  const baseUrl = larkBaseUrl(options.domain);
  const httpInstance = fetchHttpInstance(options.fetch ?? globalThis.fetch);
  const client = createSdkClient({
    appId: options.appId,
    appSecret: options.appSecret,
    baseUrl,
    httpInstance,
    logger: sdkLog,
  });
  const api = createLarkApi(client, {
    ...DEFAULT_RETRY,
    delayMs: options.retryDelayMs ?? DEFAULT_RETRY.delayMs,
  });
  const identity = identityLoader(api);
  const inFlight = new InFlight(log);
  const cardkit = new CardKitState(log);
  const streamIntervalMs = options.streamIntervalMs ?? DEFAULT_STREAM_INTERVAL_MS;
  const patchIntervalMs = options.patchIntervalMs ?? DEFAULT_PATCH_INTERVAL_MS;
  const metrics = larkMetrics(options.metrics.registry);
  const stopMarks = new StopMarks(options.kv);
  const answerOrigin = options.answerOrigin ?? (() => ({ model: 'unknown', backend: 'unknown' }));

  const handlers = eventHandlers(
    {
      api,
      identity,
      handOver: (message, reply) =>
        handOverAccepted(message, (accepting) =>
          options.pipeline.handle(accepting, reply).catch((error: unknown) => {
            log.error({ err: error }, 'the pipeline rejected a Lark message');
          }),
        ),
      replier: (target, message, replyLog) =>
        larkReplier({
          api,
          target,
          key: message.id,
          ...(options.stopSignals === undefined ? {} : { conversation: conversationKey(message) }),
          ...(options.feedback === undefined ? {} : { origin: answerOrigin }),
          ...(options.stopSignals === undefined ? {} : { stopMarks }),
          cardkit,
          streamIntervalMs,
          patchIntervalMs,
          log: replyLog,
          kv: options.kv,
        }),
      stopSignals: options.stopSignals,
      stopMarks,
      feedback: options.feedback,
      log,
      claims: new EventClaims(options.kv, options.eventTtlMs ?? DEFAULT_EVENT_TTL_MS, log),
      p2pChats: new P2pChats(options.kv),
      media: { api, maxBytes: options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES },
      answerBots: options.answerBots ?? false,
      mentionRequired: options.mentionRequired ?? (async () => true),
      now: options.now ?? Date.now,
      staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
      onStale: (type) => metrics.stale(type),
    },
    inFlight,
  );
  const dispatcher = eventDispatcher(handlers, options.encryptKey, sdkLog);
  const routers =
    mode === 'webhook'
      ? webhookRouters({
          verify: {
            encryptKey: options.encryptKey,
            verificationToken: options.verificationToken,
            decrypt: options.encryptKey === undefined ? undefined : eventDecrypter(options.encryptKey),
          },
          metrics,
          log,
          onEvent: (payload) =>
            dispatcher
              .invoke(payload, { needCheck: false })
              .then(() => undefined)
              .catch((error: unknown) => {
                log.error({ err: error }, 'dispatching a Lark event failed');
              }),
          onCardAction: (payload) => handlers.cardAction(flattenEvent(payload)),
        })
      : [];
  const connection =
    mode === 'ws'
      ? longConnection({
          appId: options.appId,
          appSecret: options.appSecret,
          baseUrl,
          httpInstance,
          dispatcher,
          log: sdkLog,
          timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          silentAfterMs: options.silentAfterMs ?? DEFAULT_SILENT_AFTER_MS,
          replaceAfterMs: options.replaceAfterMs ?? DEFAULT_REPLACE_AFTER_MS,
          onState: (up) => metrics.connection(up),
          onReplaced: (reason) => metrics.replaced(reason),
        })
      : undefined;

  return {
    mode,
    routers,
    resumeReplier: (handle, answer) => {
      const place = larkTargetOf(handle);
      if (place === undefined) return undefined;
      const replyLog = log.child({ key: place.key });
      return larkReplier({
        api,
        ...place,
        cardkit,
        streamIntervalMs,
        patchIntervalMs,
        log: replyLog,
        answer,
        kv: options.kv,
      });
    },
    async start() {
      const self = await identity();
      await connection?.open();
      log.info({ mode, baseUrl, botOpenId: self.openId, botName: self.name }, 'Lark adapter started');
    },
    readiness() {
      if (connection === undefined) return { ok: true, detail: 'webhook' };
      const { state, since } = connection.state();
      return {
        ok: state === 'connected',
        detail: `long connection ${state} since ${new Date(since).toISOString()}`,
      };
    },
    async stop() {
      connection?.close();
      if (!(await inFlight.settle(options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS))) {
        log.warn({ inFlight: inFlight.size }, 'Lark events still on their way to the pipeline at stop');
      }
    },
  };
}
