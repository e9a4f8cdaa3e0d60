import { type BotDeps, type BotSettings, createBot } from '../../src/bot/create-bot.js';
import type { Middleware } from '../../src/bot/pipeline/compose.js';
import type { PipelineMetrics } from '../../src/bot/pipeline/metrics.js';
import type { InferenceEngine } from '../../src/inference/types.js';
import type { KeyValueStore } from '../../src/storage/kv/types.js';
import { captureLogger } from './capture-logger.js';

export const testSettings: BotSettings = {
  systemPrompt: 'You are a test bot.',
  maxNewTokens: 64,
  temperature: 0,
  historyMaxTurns: 10,
  historyTtlMs: 60_000,
  dedupTtlMs: 60_000,
};

/** Records every stage/outcome the pipeline reports. */
export function recordingMetrics(): PipelineMetrics & { seen: string[]; inFlightSeen: number[] } {
  const seen: string[] = [];
  const inFlightSeen: number[] = [];
  return {
    seen,
    inFlightSeen,
    stage: (stage, outcome) => seen.push(`${stage}/${outcome}`),
    inFlight: (count) => inFlightSeen.push(count),
  };
}

/** A real bot over the given store and engine, with a capturing logger and recording metrics. */
export function testBot(
  kv: KeyValueStore,
  engine: InferenceEngine,
  extra: {
    permissions?: Middleware;
    settings?: Partial<BotSettings>;
    media?: BotDeps['media'];
    registerCommands?: BotDeps['registerCommands'];
    /** The durable turn stage (testTurns().stage): accepted messages are queued. */
    turns?: Middleware;
  } = {},
) {
  const log = captureLogger();
  const metrics = recordingMetrics();
  const bot = createBot({
    kv,
    engine,
    logger: log.logger,
    metrics,
    settings: { ...testSettings, ...extra.settings },
    ...(extra.permissions === undefined ? {} : { permissions: extra.permissions }),
    ...(extra.media === undefined ? {} : { media: extra.media }),
    ...(extra.registerCommands === undefined ? {} : { registerCommands: extra.registerCommands }),
    ...(extra.turns === undefined ? {} : { turns: extra.turns }),
  });
  return { ...bot, log, metrics };
}
