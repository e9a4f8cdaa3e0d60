import type { Express } from 'express';
import type { Turns } from '../../../../src/app/turns.js';
import type { SlackAdapter, SlackAdapterOptions } from '../../../../src/bot/adapters/slack/index.js';
import { createSlackAdapter } from '../../../../src/bot/adapters/slack/index.js';
import type { BotDeps, BotSettings } from '../../../../src/bot/create-bot.js';
import { KvFeedbackStore } from '../../../../src/bot/feedback/kv-feedback-store.js';
import type { Middleware } from '../../../../src/bot/pipeline/compose.js';
import type { Pipeline } from '../../../../src/bot/pipeline/pipeline.js';
import type { InferenceEngine } from '../../../../src/inference/types.js';
import { createMetrics, type Metrics } from '../../../../src/metrics/registry.js';
import { createHttpApp } from '../../../../src/server/app.js';
import { type RunningHttpServer, startHttpServer } from '../../../../src/server/lifecycle.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';
import type { KeyValueStore } from '../../../../src/storage/kv/types.js';
import { testBot } from '../../../helpers/bot.js';
import { type CapturedLogger, captureLogger } from '../../../helpers/capture-logger.js';
import { type FakeSlack, startFakeSlack } from '../../../helpers/fake-slack.js';
import { type SignOptions, signForm, signJson } from '../../../helpers/slack-signing.js';
import { runTurns } from '../../../helpers/turns.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface Harness {
  fake: FakeSlack;
  /** With `feedback: true`: where votes go. */
  feedback: KvFeedbackStore | undefined;
  adapter: SlackAdapter;
  metrics: Metrics;
  log: CapturedLogger;
  bot: ReturnType<typeof testBot>;
  /** The full URL of POST /slack/events. */
  endpoint: string;
  /** Posts a signed Events API delivery; resolves with the status and how long the answer took. */
  sendEvent(payload: unknown, options?: SignOptions): Promise<{ status: number; body: string; ms: number }>;
  sendCommand(
    fields: Record<string, string>,
    options?: SignOptions,
  ): Promise<{ status: number; body: string; ms: number }>;
  /** Posts exactly these bytes and headers. */
  post(body: string, headers: Record<string, string>): Promise<{ status: number; body: string; ms: number }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  engine: InferenceEngine;
  adapter?: Partial<SlackAdapterOptions>;
  /** Replaces the bot's pipeline (e.g. to capture the InboundMessage). */
  pipeline?: (bot: Pipeline) => Pipeline;
  streamIntervalMs?: number;
  /** Share a KV store (e.g. Redis) and a fake Slack between harnesses: two replicas of one app. */
  kv?: KeyValueStore;
  /** Media storage for the bot (e.g. fsMedia()); without it attachments get "not set up". */
  media?: BotDeps['media'];
  fake?: FakeSlack;
  /** Bot settings over the test defaults (e.g. a longer maxNewTokens). */
  settings?: Partial<BotSettings>;
  /** Feedback buttons under answers, votes in a KvFeedbackStore on the harness's KV (and /admin feedback). */
  feedback?: boolean;
  /** Commands registered after the builtins (e.g. the admin commands). */
  registerCommands?: BotDeps['registerCommands'];
  /** A permissions stage (e.g. scopes without media:read); default: the member seam. */
  permissions?: Middleware;
  /** Durable turns (testTurns()): messages are queued, and answered here unless `runTurns` is false. */
  turns?: Turns;
  runTurns?: boolean;
}

/**
 * The adapter's router in the project's real HTTP app on 127.0.0.1:0, a real bot on a memory
 * KV store and the given engine, and a fake Slack Web API behind SLACK_API_URL.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const fake = options.fake ?? (await startFakeSlack());
  const kv = options.kv ?? new MemoryKeyValueStore({ prefix: 'slack-test:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const feedback = options.feedback === true ? new KvFeedbackStore(kv, metrics.registry) : undefined;
  const bot = testBot(kv, options.engine, {
    ...(options.media === undefined ? {} : { media: options.media }),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.registerCommands === undefined ? {} : { registerCommands: options.registerCommands }),
    ...(options.permissions === undefined ? {} : { permissions: options.permissions }),
    ...(options.turns === undefined ? {} : { turns: options.turns.stage }),
  });
  const log = captureLogger();
  const adapter = createSlackAdapter({
    botToken: fake.token,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    pipeline: options.pipeline?.(bot.pipeline) ?? bot.pipeline,
    kv,
    logger: log.logger,
    metrics,
    streamIntervalMs: options.streamIntervalMs ?? 200,
    stopSignals: bot.stopSignals,
    ...(feedback === undefined ? {} : { feedback }),
    ...options.adapter,
  });
  if (adapter.router === undefined) throw new Error('expected HTTP mode');
  if (options.turns !== undefined) {
    runTurns(options.turns, 'slack', adapter.resumeReplier, bot.pipeline, options.runTurns ?? true);
  }
  await adapter.start();
  const app: Express = createHttpApp({
    logger: log.logger,
    metrics,
    readiness: async () => ({ ready: true, checks: {} }),
    routers: [{ path: '/slack/events', router: adapter.router }],
  });
  const server: RunningHttpServer = await startHttpServer(app, {
    host: '127.0.0.1',
    port: 0,
    logger: log.logger,
  });
  const endpoint = `${server.url}/slack/events`;

  const post = async (body: string, headers: Record<string, string>) => {
    const started = performance.now();
    const response = await fetch(endpoint, { method: 'POST', body, headers });
    const text = await response.text();
    return { status: response.status, body: text, ms: performance.now() - started };
  };
  return {
    fake,
    feedback,
    adapter,
    metrics,
    log,
    bot,
    endpoint,
    post,
    sendEvent: (payload, signOptions) => {
      const signed = signJson(SIGNING_SECRET, payload, signOptions);
      return post(signed.body, signed.headers);
    },
    sendCommand: (fields, signOptions) => {
      const signed = signForm(SIGNING_SECRET, fields, signOptions);
      return post(signed.body, signed.headers);
    },
    close: async () => {
      await adapter.stop();
      await server.close(100);
      await bot.pipeline.drain(100);
      await options.turns?.close();
      if (options.fake === undefined) await fake.close();
      if (options.kv === undefined) await kv.close();
    },
  };
}
