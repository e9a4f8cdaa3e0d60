import type { Express } from 'express';
import type { Turns } from '../../../../src/app/turns.js';
import type { LarkAdapter, LarkAdapterOptions } from '../../../../src/bot/adapters/lark/index.js';
import { createLarkAdapter } from '../../../../src/bot/adapters/lark/index.js';
import type { BotDeps } from '../../../../src/bot/create-bot.js';
import type { InboundMessage } from '../../../../src/bot/message.js';
import type { Pipeline } from '../../../../src/bot/pipeline/pipeline.js';
import type { InferenceEngine } from '../../../../src/inference/types.js';
import { createMetrics, type Metrics } from '../../../../src/metrics/registry.js';
import { createHttpApp } from '../../../../src/server/app.js';
import { type RunningHttpServer, startHttpServer } from '../../../../src/server/lifecycle.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';
import type { KeyValueStore } from '../../../../src/storage/kv/types.js';
import { testBot } from '../../../helpers/bot.js';
import { type CapturedLogger, captureLogger } from '../../../helpers/capture-logger.js';
import { type FakeLark, startFakeLark } from '../../../helpers/fake-lark.js';
import { encryptAndSign, type LarkSignOptions } from '../../../helpers/lark-crypto.js';
import { runTurns } from '../../../helpers/turns.js';

export const ENCRYPT_KEY = 'test-encrypt-key';
export const VERIFICATION_TOKEN = 'test-verification-token';

export interface Response {
  status: number;
  body: string;
  ms: number;
}

export interface Harness {
  fake: FakeLark;
  adapter: LarkAdapter;
  metrics: Metrics;
  log: CapturedLogger;
  bot: ReturnType<typeof testBot>;
  /** Base URL of the app (…/lark/events, …/lark/cards). */
  url: string;
  /** Posts an event to /lark/events encrypted and signed as Lark does. */
  sendEvent(payload: unknown, options?: LarkSignOptions): Promise<Response>;
  /** The same to /lark/cards. */
  sendCard(payload: unknown, options?: LarkSignOptions): Promise<Response>;
  /** Posts exactly these bytes and headers to `path`. */
  post(path: string, body: string, headers: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  engine: InferenceEngine;
  adapter?: Partial<LarkAdapterOptions>;
  /** Replaces the bot's pipeline (e.g. to capture the InboundMessage). */
  pipeline?: (bot: Pipeline) => Pipeline;
  /** Share a KV store (e.g. Redis) and a fake Lark between harnesses: two replicas of one app. */
  kv?: KeyValueStore;
  /** Media storage for the bot (e.g. fsMedia()); without it attachments get "not set up". */
  media?: BotDeps['media'];
  fake?: FakeLark;
  /** Durable turns (testTurns()): messages are queued, and answered here unless `runTurns` is false. */
  turns?: Turns;
  runTurns?: boolean;
}

/** The bot's pipeline, recording each message it is handed. */
export function recording(seen: InboundMessage[]) {
  return (pipeline: Pipeline): Pipeline => ({
    handle: (message, reply) => {
      seen.push(message);
      return pipeline.handle(message, reply);
    },
    get inFlight() {
      return pipeline.inFlight;
    },
    drain: (ms) => pipeline.drain(ms),
  });
}

/**
 * The adapter's routers in the project's real HTTP app on 127.0.0.1:0 (webhook mode), a real bot
 * on a memory KV store and the given engine, and a fake Lark OpenAPI behind LARK_DOMAIN.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const fake = options.fake ?? (await startFakeLark());
  const kv = options.kv ?? new MemoryKeyValueStore({ prefix: 'lark-test:' });
  const bot = testBot(kv, options.engine, {
    ...(options.media === undefined ? {} : { media: options.media }),
    ...(options.turns === undefined ? {} : { turns: options.turns.stage }),
  });
  const log = captureLogger();
  const metrics = createMetrics({ defaultMetrics: false });
  const adapter = createLarkAdapter({
    appId: fake.appId,
    appSecret: fake.appSecret,
    encryptKey: ENCRYPT_KEY,
    verificationToken: VERIFICATION_TOKEN,
    domain: fake.url,
    mode: 'webhook',
    pipeline: options.pipeline?.(bot.pipeline) ?? bot.pipeline,
    kv,
    logger: log.logger,
    metrics,
    streamIntervalMs: 60,
    patchIntervalMs: 210,
    retryDelayMs: 20,
    ...options.adapter,
  });
  if (options.turns !== undefined) {
    runTurns(options.turns, 'lark', adapter.resumeReplier, bot.pipeline, options.runTurns ?? true);
  }
  await adapter.start();
  const app: Express = createHttpApp({
    logger: log.logger,
    metrics,
    readiness: async () => ({ ready: true, checks: {} }),
    routers: adapter.routers,
  });
  const server: RunningHttpServer = await startHttpServer(app, {
    host: '127.0.0.1',
    port: 0,
    logger: log.logger,
  });

  const post = async (path: string, body: string, headers: Record<string, string>) => {
    const started = performance.now();
    const response = await fetch(`${server.url}${path}`, { method: 'POST', body, headers });
    const text = await response.text();
    return { status: response.status, body: text, ms: performance.now() - started };
  };
  const signed = (path: string) => (payload: unknown, signOptions?: LarkSignOptions) => {
    const request = encryptAndSign(ENCRYPT_KEY, payload, signOptions);
    return post(path, request.body, request.headers);
  };
  return {
    fake,
    adapter,
    metrics,
    log,
    bot,
    url: server.url,
    post,
    sendEvent: signed('/lark/events'),
    sendCard: signed('/lark/cards'),
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
