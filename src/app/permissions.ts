import { Counter } from 'prom-client';
import { registerSettingsCommand } from '../bot/channels/commands.js';
import { ChannelSettingsResolver } from '../bot/channels/resolve.js';
import { ChannelSettingsStore } from '../bot/channels/store.js';
import type { CommandRegistry } from '../bot/commands/registry.js';
import type { FeedbackStore } from '../bot/feedback/types.js';
import { MemoryLimiterStore } from '../bot/limits/memory-store.js';
import { RedisLimiterStore } from '../bot/limits/redis-store.js';
import { type FailMode, rateLimitStage } from '../bot/limits/stage.js';
import type { LimiterStore } from '../bot/limits/types.js';
import { accessStage } from '../bot/permissions/access-stage.js';
import { registerAdminCommands } from '../bot/permissions/admin/index.js';
import { AuditLog } from '../bot/permissions/audit.js';
import { registerLimitsCommand } from '../bot/permissions/limits-command.js';
import { PermissionOverrides } from '../bot/permissions/overrides.js';
import { PermissionsSource } from '../bot/permissions/source.js';
import type { Middleware } from '../bot/pipeline/compose.js';
import type { PipelineMetrics } from '../bot/pipeline/metrics.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import type { KeyValueStore } from '../storage/kv/types.js';
import type { RedisConnector } from '../storage/redis/connect.js';

/** The permissions and rate-limit stages, their commands, and what they hold open. */
export interface PermissionsRuntime {
  source: PermissionsSource;
  limiter: LimiterStore;
  permissions: Middleware;
  rateLimit: Middleware;
  /** Per-channel settings (permissions.json with admins' overrides): the adapters' mention rule reads them. */
  channels: ChannelSettingsResolver;
  registerCommands: Array<(registry: CommandRegistry) => void>;
  close(): Promise<void>;
}

export interface PermissionsWiring {
  config: Pick<Config, 'PERMISSIONS_FILE' | 'REDIS_URL' | 'KV_PREFIX' | 'RATE_LIMIT_FAIL_MODE'>;
  kv: KeyValueStore;
  /** The app's Redis connector (the limiter's connection is named `limits`); REDIS_URL alone otherwise. */
  redis?: RedisConnector | undefined;
  logger: Logger;
  metrics: Pick<Metrics, 'registry'> & { pipeline: PipelineMetrics };
  /** Votes on answers, for /admin feedback. */
  feedback?: FeedbackStore;
  /** Watch the file and listen for SIGHUP (default true). */
  reload?: boolean;
}

/** Reads permissions.json (a bad file throws PermissionsFileError) and builds both stages. */
export async function createPermissions(options: PermissionsWiring): Promise<PermissionsRuntime> {
  const { config, kv, logger, metrics } = options;
  const reload = options.reload ?? true;
  const source = await PermissionsSource.open({
    file: config.PERMISSIONS_FILE,
    logger,
    watch: reload,
    sighup: reload,
  });
  const limiter = limiterStore(config, options.redis);
  const unavailable = new Counter({
    name: 'teambot_ratelimit_unavailable_total',
    help: 'Rate-limit decisions the store could not make (Redis unreachable), by the fail mode applied.',
    labelNames: ['mode'] as const,
    registers: [metrics.registry],
  });
  const overrides = new PermissionOverrides(kv);
  const audit = new AuditLog(kv);
  const channels = new ChannelSettingsResolver(source, new ChannelSettingsStore(kv), logger);
  const failMode: FailMode = config.RATE_LIMIT_FAIL_MODE;
  return {
    source,
    limiter,
    channels,
    permissions: accessStage({ source, overrides, metrics: metrics.pipeline, failMode, channels }),
    rateLimit: rateLimitStage({
      store: limiter,
      metrics: metrics.pipeline,
      failMode,
      onUnavailable: (mode) => unavailable.inc({ mode }),
    }),
    registerCommands: [
      (registry) =>
        registerAdminCommands(registry, {
          source,
          overrides,
          audit,
          limiter,
          feedback: options.feedback,
          channels,
        }),
      (registry) => registerSettingsCommand(registry, channels),
      (registry) => registerLimitsCommand(registry, { limiter }),
    ],
    async close() {
      source.close();
      await limiter.close();
    },
  };
}

/** The chat limiter's store: on Redis (through the app's connector when given), in memory without REDIS_URL. */
function limiterStore(config: PermissionsWiring['config'], redis: RedisConnector | undefined): LimiterStore {
  const prefix = config.KV_PREFIX;
  if (redis !== undefined) return new RedisLimiterStore({ connector: redis, prefix });
  if (config.REDIS_URL === undefined) return new MemoryLimiterStore();
  return new RedisLimiterStore({ url: config.REDIS_URL, prefix });
}
