import { App, webApi } from '@slack/bolt';
import { LocalStopSignals } from '../../turns/local-stop-signals.js';
import { handOverAccepted } from '../shared/accept.js';
import { InFlight } from '../shared/in-flight.js';
import { httpTransport, socketTransport } from './http/transport.js';
import { identityLoader } from './identity.js';
import { registerListeners } from './listeners/register.js';
import { slackMetrics } from './metrics.js';
import {
  DEFAULT_LOADING_MESSAGES,
  DEFAULT_STOP_GRACE_MS,
  DEFAULT_STREAM_INTERVAL_MS,
  DEFAULT_SUGGESTED_PROMPTS,
  DEFAULT_THREAD_TTL_MS,
  type SlackAdapter,
  type SlackAdapterOptions,
} from './options.js';
import { AgentSessions } from './reply/agent-session.js';
import { leftAnswer, slackTargetOf } from './reply/handle.js';
import { SLACK_STREAM_LIMITS } from './reply/rolling-stream.js';
import { threadReplier } from './reply/thread-replier.js';
import { slackLogger } from './slack-logger.js';
import { FollowedThreads } from './threads.js';
import { extraOriginsFor } from './trusted-url.js';
import { userNames } from './user-names.js';
import { webClientOptions } from './web-client.js';

/**
 * The Slack channel: Bolt receives (HTTP through `router`, or Socket Mode when an app token is
 * given), the listeners translate to InboundMessage and hand it to the pipeline after the ack,
 * and the Repliers answer with Slack's own means. No Slack type goes past this folder.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const mode = options.appToken === undefined ? 'http' : 'socket';
  if (mode === 'http' && options.signingSecret === undefined) {
    throw new Error('Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)');
  }
  const log = options.logger;
  const boltLogger = slackLogger(log.child({ component: 'bolt' }));
  const clientOptions = webClientOptions({ apiUrl: options.apiUrl, logger: boltLogger });
  const client = new webApi.WebClient(options.botToken, clientOptions);
  const identity = identityLoader(client);
  const http =
    options.appToken === undefined
      ? httpTransport(options.signingSecret ?? '', slackMetrics(options.metrics.registry), log, boltLogger)
      : undefined;
  const receiver = http?.receiver ?? socketTransport(options.appToken ?? '', options.apiUrl, boltLogger);

  const app = new App({
    receiver,
    authorize: async () => {
      const self = await identity();
      return { botToken: options.botToken, botUserId: self.userId, botId: self.botId };
    },
    logger: boltLogger,
    clientOptions: { ...clientOptions },
    // Our own filter (inbound/filter.ts) drops the bot's messages; the conversation lives in our KV.
    ignoreSelf: false,
    convoStore: false,
  });
  app.error(async (error) => {
    log.error({ err: error }, 'Slack listener failed');
  });

  const inFlight = new InFlight(log);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const extraOrigins = extraOriginsFor(options.apiUrl);
  const threadTtlMs = options.threadTtlMs ?? DEFAULT_THREAD_TTL_MS;
  const loadingMessages = options.loadingMessages ?? DEFAULT_LOADING_MESSAGES;
  const streamLimits = { ...SLACK_STREAM_LIMITS, ...options.streamLimits };
  const sessions = new AgentSessions(client, log);
  registerListeners(app, {
    client,
    handOver: (message, reply) =>
      handOverAccepted(message, (accepting) =>
        options.pipeline.handle(accepting, reply).catch((error: unknown) => {
          log.error({ err: error }, 'the pipeline rejected a Slack message');
        }),
      ),
    log,
    inFlight,
    identity,
    threads: new FollowedThreads(options.kv, threadTtlMs),
    names: userNames(client, options.kv, log),
    files: { client, botToken: options.botToken, fetch: fetchFn, extraOrigins },
    answerBots: options.answerBots ?? false,
    intervalMs: options.streamIntervalMs ?? DEFAULT_STREAM_INTERVAL_MS,
    fetch: fetchFn,
    extraOrigins,
    suggestedPrompts: options.suggestedPrompts ?? (async () => DEFAULT_SUGGESTED_PROMPTS),
    loadingMessages,
    streamLimits,
    sessions,
    stopSignals: options.stopSignals ?? new LocalStopSignals(),
    feedback: options.feedback,
    kv: options.kv,
    threadTtlMs,
  });

  let socketOpen = false;
  const intervalMs = options.streamIntervalMs ?? DEFAULT_STREAM_INTERVAL_MS;
  return {
    mode,
    resumeReplier: (handle, answer) => {
      const target = slackTargetOf(handle);
      if (target === undefined) return undefined;
      const replyLog = log.child({ channel: target.channel, thread: target.thread });
      const findLeft = async () => leftAnswer(client, target, (await identity()).userId, answer, replyLog);
      return threadReplier(client, target, {
        intervalMs,
        log: replyLog,
        loadingMessages,
        streamLimits,
        sessions,
        feedback: options.feedback !== undefined,
        answer,
        findLeft,
      });
    },
    ...(http === undefined ? {} : { router: http.router }),
    async start() {
      const self = await identity();
      if (mode === 'socket') {
        await app.start();
        socketOpen = true;
      }
      log.info({ mode, botUserId: self.userId, team: self.teamId }, 'Slack adapter started');
    },
    async stop() {
      if (socketOpen) {
        socketOpen = false;
        await app.stop();
      }
      if (!(await inFlight.settle(options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS))) {
        log.warn({ inFlight: inFlight.size }, 'Slack messages still on their way to the pipeline at stop');
      }
    },
  };
}
