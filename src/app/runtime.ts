import {
  type SuggestedPrompt,
  type SuggestedPromptsFor,
  suggestedPromptsFrom,
} from '../bot/assistant/suggested-prompts.js';
import type { ChannelSettingsResolver } from '../bot/channels/resolve.js';
import { type Bot, createBot } from '../bot/create-bot.js';
import { KvFeedbackStore } from '../bot/feedback/kv-feedback-store.js';
import type { FeedbackStore } from '../bot/feedback/types.js';
import { ocrMediaText } from '../bot/media/ocr-hook.js';
import type { StopSignals } from '../bot/turns/stop-signals.js';
import type { Config } from '../config/schema.js';
import { createInferenceMetrics, type InferenceMetrics } from '../inference/observe/metrics.js';
import { lazyOcrFromConfig } from '../inference/ocr/from-config.js';
import type { InferenceEngine } from '../inference/types.js';
import type { Logger } from '../log/logger.js';
import { createMetrics, type Metrics } from '../metrics/registry.js';
import type { ReadinessCheck } from '../server/readiness.js';
import { createKeyValueStore } from '../storage/kv/factory.js';
import type { KeyValueStore } from '../storage/kv/types.js';
import { createMediaService } from '../storage/media/from-config.js';
import { createObjectStore } from '../storage/object/factory.js';
import { loadOrCreateSigningSecret } from '../storage/object/signing.js';
import type { ObjectStore } from '../storage/object/types.js';
import type { RedisConnector } from '../storage/redis/connect.js';
import { closeAll } from './close-all.js';
import { createAppEngine, engineReadiness } from './engine.js';
import { createPermissions } from './permissions.js';
import { redisConnectorFrom } from './redis.js';
import { reportRuntime } from './runtime-metrics.js';
import { createTurns, type Turns } from './turns.js';

const HOUR_MS = 3_600_000;

/** Everything `serve` and `chat` share: stores, engine, metrics and the bot, built from config. */
export interface Runtime {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The inference core's metrics (tokens, latencies, cache, breakers, API rejections). */
  inferenceMetrics: InferenceMetrics;
  kv: KeyValueStore;
  /** Opens the named Redis connections (REDIS_URL parsed once); undefined without REDIS_URL. */
  redis: RedisConnector | undefined;
  objects: ObjectStore;
  /** Signs and verifies the filesystem store's URLs. */
  signingSecret: string;
  engine: InferenceEngine;
  bot: Bot;
  /** Stops running answers (buttons, /stop, Slack's native stop) wherever they run: turns.stops. */
  stopSignals: StopSignals;
  /** Votes on answers (feedback buttons), in the KV store. */
  feedback: FeedbackStore;
  /** The prompts an assistant thread offers, by platform, workspace and chat (permissions.json). */
  suggestedPrompts: (fallback: readonly SuggestedPrompt[]) => SuggestedPromptsFor;
  /** Per-channel settings (permissions.json with admins' overrides), for the adapters' mention rule. */
  channels: ChannelSettingsResolver;
  /** Durable turns: the queue, the stop signals, and the resumers the adapters register. */
  turns: Turns;
  readinessChecks: Record<string, ReadinessCheck>;
  /** Closes the engine and the stores (Redis connections included). */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Base of signed object URLs when PUBLIC_URL is unset. */
  defaultPublicUrl: string;
  version: string;
}

export async function createRuntime(
  config: Config,
  logger: Logger,
  options: RuntimeOptions,
): Promise<Runtime> {
  const metrics = createMetrics({ version: options.version });
  const redis = redisConnectorFrom(config, logger, metrics);
  // Its connection errors are logged (with the connection's name) by the connector.
  const kv = createKeyValueStore({ prefix: config.KV_PREFIX, redis });
  const signingSecret = await loadOrCreateSigningSecret(config.DATA_DIR, config.URL_SIGNING_SECRET);
  const objects = await createObjectStore({
    dataDir: config.DATA_DIR,
    publicBaseUrl: config.PUBLIC_URL ?? options.defaultPublicUrl,
    signingSecret,
    s3: {
      bucket: config.S3_BUCKET,
      endpoint: config.S3_ENDPOINT,
      publicEndpoint: config.S3_PUBLIC_ENDPOINT,
      region: config.S3_REGION,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      maxAttempts: config.S3_MAX_ATTEMPTS,
    },
  });
  const feedback = new KvFeedbackStore(kv, metrics.registry);
  const permissions = await createPermissions({ config, kv, redis, logger, metrics, feedback }).catch(
    async (error: unknown) => {
      await kv.close();
      throw error;
    },
  );
  const media = createMediaService(config, objects);
  const ocr = lazyOcrFromConfig(config, config.INFERENCE_THREAD);
  const inferenceMetrics = createInferenceMetrics(metrics.registry);
  const engine = await createAppEngine(config, {
    kv,
    metrics,
    inferenceMetrics,
    logger,
    objects,
    cleanup: () => Promise.allSettled([permissions.close(), kv.close()]),
  });
  const turns = createTurns({
    config,
    redis,
    objects,
    limiter: permissions.limiter,
    metrics,
    logger,
    // The chat's burst setting (/admin channel set burst …), else TURN_STRATEGY.
    strategy: (_conversation, payload) => payload.channel?.burst ?? config.TURN_STRATEGY,
  });
  // Stops reach the replica that runs the answer (Redis pub/sub), or this process without Redis.
  const stopSignals = turns.stops;
  const bot = createBot({
    kv,
    engine,
    logger,
    metrics: metrics.pipeline,
    settings: {
      systemPrompt: config.SYSTEM_PROMPT,
      maxNewTokens: config.MAX_NEW_TOKENS,
      temperature: config.TEMPERATURE,
      thinkingChats: config.THINKING_CHANNELS,
      historyMaxTurns: config.HISTORY_MAX_TURNS,
      historyTtlMs: config.HISTORY_TTL_HOURS * HOUR_MS,
      dedupTtlMs: config.DEDUP_TTL_HOURS * HOUR_MS,
    },
    stopSignals,
    permissions: permissions.permissions,
    rateLimit: permissions.rateLimit,
    turns: turns.stage,
    registerCommands: permissions.registerCommands,
    media: {
      service: media,
      linkTtlSeconds: config.MEDIA_URL_TTL_SECONDS,
      extraText: ocrMediaText(ocr, {
        imageReply: config.OCR_IMAGE_REPLY,
        promptMaxChars: config.OCR_PROMPT_MAX_CHARS,
      }),
      vision: { withOcr: config.VISION_WITH_OCR, historyImages: config.VISION_HISTORY_IMAGES },
    },
  });
  const readinessChecks: Record<string, ReadinessCheck> = {
    kv: async () => {
      await kv.ping();
      return { ok: true, detail: kv.kind };
    },
    objects: async () => {
      await objects.ping();
      return { ok: true, detail: objects.kind };
    },
    engine: engineReadiness(engine),
  };
  reportRuntime(metrics.registry, engine, readinessChecks);
  return {
    config,
    logger,
    metrics,
    inferenceMetrics,
    kv,
    redis,
    objects,
    signingSecret,
    engine,
    bot,
    stopSignals,
    feedback,
    channels: permissions.channels,
    suggestedPrompts: (fallback) =>
      suggestedPromptsFrom(() => permissions.source.current(), permissions.channels, fallback),
    turns,
    readinessChecks,
    close: () =>
      closeAll(logger, [
        turns.close(),
        engine.close(),
        kv.close(),
        objects.close(),
        permissions.close(),
        ocr.close(),
      ]),
  };
}
