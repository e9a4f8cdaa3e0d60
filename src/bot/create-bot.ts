import type { InferenceEngine } from '../inference/types.js';
import type { Logger } from '../log/logger.js';
import type { KeyValueStore } from '../storage/kv/types.js';
import type { MediaService } from '../storage/media/service.js';
import { registerBuiltinCommands } from './commands/builtin.js';
import { CommandRegistry } from './commands/registry.js';
import { createAnswerer } from './conversation/answer.js';
import { ConversationMemory } from './conversation/memory.js';
import { registerMediaCommands } from './media/commands.js';
import { createMediaHandler, type MediaHandlerOptions } from './media/handler.js';
import type { Middleware } from './pipeline/compose.js';
import type { PipelineMetrics } from './pipeline/metrics.js';
import { createPipeline, type TurnPipeline } from './pipeline/pipeline.js';

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
  /** The durable turn stage (src/bot/turns/stage.ts): accepted messages are queued, not answered inline. */
  turns?: Middleware;
  /** Feature commands (admin, limits) registered after the builtins. */
  registerCommands?: Array<(registry: CommandRegistry) => void>;
  /** Media storage; without it attachments get a "not set up" reply. */
  media?: {
    service: MediaService;
    linkTtlSeconds: number;
    extraText?: MediaHandlerOptions['extraText'];
  };
}

export interface Bot {
  pipeline: TurnPipeline;
  commands: CommandRegistry;
  memory: ConversationMemory;
}

/** The platform-neutral bot every adapter feeds. */
export function createBot(deps: BotDeps): Bot {
  const { settings } = deps;
  const memory = new ConversationMemory({
    kv: deps.kv,
    maxTurns: settings.historyMaxTurns,
    ttlMs: settings.historyTtlMs,
  });
  const answer = createAnswerer({
    engine: deps.engine,
    memory,
    systemPrompt: settings.systemPrompt,
    maxNewTokens: settings.maxNewTokens,
    temperature: settings.temperature,
    thinkingChats: new Set(settings.thinkingChats ?? []),
  });
  const commands = new CommandRegistry();
  registerBuiltinCommands({ registry: commands, memory, answer });
  for (const register of deps.registerCommands ?? []) register(commands);
  registerMediaCommands(commands, deps.media?.service);
  const media = createMediaHandler({
    service: deps.media?.service,
    memory,
    answer,
    linkTtlSeconds: deps.media?.linkTtlSeconds ?? 86_400,
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
  return { pipeline, commands, memory };
}
