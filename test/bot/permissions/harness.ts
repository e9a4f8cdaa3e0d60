import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPermissions, type PermissionsRuntime } from '../../../src/app/permissions.js';
import { createBot } from '../../../src/bot/create-bot.js';
import type { InferenceEngine } from '../../../src/inference/types.js';
import { createMetrics } from '../../../src/metrics/registry.js';
import type { KeyValueStore } from '../../../src/storage/kv/types.js';
import { recordingMetrics, testSettings } from '../../helpers/bot.js';
import { captureLogger } from '../../helpers/capture-logger.js';

/** A permissions file like the repository's, small enough to reason about in tests. */
export function permissionsFile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    defaultRole: 'member',
    roles: {
      admin: {
        scopes: ['chat:ask', 'media:upload', 'media:read', 'admin:scopes', 'admin:limits', 'admin:audit'],
      },
      member: { scopes: ['chat:ask', 'media:upload', 'media:read'], limits: { requests: ['3/minute'] } },
      guest: { scopes: [] },
    },
    users: { 'slack:UADMIN': 'admin' },
    ...overrides,
  };
}

export async function writePermissions(
  content: unknown,
): Promise<{ dir: string; file: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-permissions-'));
  const file = join(dir, 'permissions.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { dir, file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface PermissionedBot {
  bot: ReturnType<typeof createBot>;
  permissions: PermissionsRuntime;
  log: ReturnType<typeof captureLogger>;
  metrics: ReturnType<typeof recordingMetrics>;
  registry: ReturnType<typeof createMetrics>;
}

/** A real bot with the real permissions and rate-limit stages, as the runtime wires them. */
export async function permissionedBot(options: {
  file: string;
  kv: KeyValueStore;
  engine: InferenceEngine;
  redisUrl?: string;
  prefix?: string;
  failMode?: 'open' | 'closed';
  reload?: boolean;
}): Promise<PermissionedBot> {
  const log = captureLogger();
  const metrics = recordingMetrics();
  const registry = createMetrics({ defaultMetrics: false });
  const permissions = await createPermissions({
    config: {
      PERMISSIONS_FILE: options.file,
      REDIS_URL: options.redisUrl,
      KV_PREFIX: options.prefix ?? 'test:',
      RATE_LIMIT_FAIL_MODE: options.failMode ?? 'open',
    },
    kv: options.kv,
    logger: log.logger,
    metrics: { registry: registry.registry, pipeline: metrics },
    reload: options.reload ?? false,
  });
  const bot = createBot({
    kv: options.kv,
    engine: options.engine,
    logger: log.logger,
    metrics,
    settings: testSettings,
    permissions: permissions.permissions,
    rateLimit: permissions.rateLimit,
    registerCommands: permissions.registerCommands,
  });
  return { bot, permissions, log, metrics, registry };
}
