import type { InferenceEngine } from '../inference/types.js';
import type { Logger } from '../log/logger.js';
import type { KeyValueStore } from '../storage/kv/types.js';
import type { MediaService } from '../storage/media/service.js';
import { registerBuiltinCommands } from './commands/builtin.js';
import { CommandRegistry } from './commands/registry.js';
import { registerStopCommand } from './commands/stop.js';
import { createAnswerer } from './conversation/answer.js';
import { ConversationMemory } from './conversation/memory.js';
import { registerMediaCommands } from './media/commands.js';
import { createMediaHandler, type MediaHandlerOptions } from './media/handler.js';
import type { Middleware } from './pipeline/compose.js';
import type { PipelineMetrics } from './pipeline/metrics.js';
import { createPipeline, type TurnPipeline } from './pipeline/pipeline.js';
import { LocalStopSignals } from './turns/local-stop-signals.js';
import type { StopSignals } from './turns/stop-signals.js';
import { type BotVisionSettings, createBotVision } from './vision/vision.js';

export interface BotSettings {
  systemPrompt: string;
  maxNewTokens: number;
  temperature: number;
  /** Chat ids where a reasoning model thinks before every answer (else only after /think). */
  thinkingChats?: readonly string[];
  historyMaxTurns: number;
  historyTtlMs: number;
  dedupTtlMs: number;
}

export interface BotDeps {
  kv: KeyValueStore;
  engine: InferenceEngine;
  logger: Logger;
  metrics: PipelineMetrics;
  settings: BotSettings;
  permissions?: Middleware;
  rateLimit?: Middleware;
  /** Where running answers register for stops (default: this process only). */
  stopSignals?: StopSignals;
  /** The durable turn stage (src/bot/turns/stage.ts): accepted messages are queued, not answered inline. */
  turns?: Middleware;
  /** Feature commands (admin, limits) registered after the builtins. */
  registerCommands?: Array<(registry: CommandRegistry) => void>;
  /** Media storage; without it attachments get a "not set up" reply. */
  media?: {
    service: MediaService;
    linkTtlSeconds: number;
    extraText?: MediaHandlerOptions['extraText'];
    /** How an engine that sees is given images (VISION_*); default: OCR text only alongside none, 8 earlier images. */
    vision?: BotVisionSettings;
  };
}

export interface Bot {
  pipeline: TurnPipeline;
  commands: CommandRegistry;
  memory: ConversationMemory;
  stopSignals: StopSignals;
}

/** The platform-neutral bot every adapter feeds. */
export function createBot(deps: BotDeps): Bot {
  const { settings } = deps;
  const memory = new ConversationMemory({
    kv: deps.kv,
    maxTurns: settings.historyMaxTurns,
    ttlMs: settings.historyTtlMs,
  });
  // Images go to the model only where it sees (EngineInfo.vision); text-only engines get the OCR text.
  const vision =
    deps.media === undefined
      ? undefined
      : createBotVision(
          deps.engine,
          deps.media.service,
          deps.media.vision ?? { withOcr: false, historyImages: 8 },
        );
  const stopSignals = deps.stopSignals ?? new LocalStopSignals();
  const answer = createAnswerer({
    vision,
    stopSignals,
    engine: deps.engine,
    memory,
    systemPrompt: settings.systemPrompt,
    maxNewTokens: settings.maxNewTokens,
    temperature: settings.temperature,
    thinkingChats: new Set(settings.thinkingChats ?? []),
  });
  const commands = new CommandRegistry();
  registerBuiltinCommands({ registry: commands, memory, answer });
  registerStopCommand(commands, stopSignals);
  for (const register of deps.registerCommands ?? []) register(commands);
  registerMediaCommands(commands, deps.media?.service);
  const media = createMediaHandler({
    service: deps.media?.service,
    memory,
    answer,
    linkTtlSeconds: deps.media?.linkTtlSeconds ?? 86_400,
    vision,
    ...(deps.media?.extraText === undefined ? {} : { extraText: deps.media.extraText }),
  });
  const pipeline = createPipeline({
    kv: deps.kv,
    logger: deps.logger,
    metrics: deps.metrics,
    dedupTtlMs: settings.dedupTtlMs,
    handlers: {
      command: (ctx) => commands.dispatch(ctx),
      media: async (ctx) => {
        await media(ctx);
      },
      text: (ctx) => answer(ctx, ctx.message.text),
    },
    ...(deps.permissions === undefined ? {} : { permissions: deps.permissions }),
    ...(deps.rateLimit === undefined ? {} : { rateLimit: deps.rateLimit }),
    ...(deps.turns === undefined ? {} : { turns: deps.turns }),
  });
  return { pipeline, commands, memory, stopSignals };
}
