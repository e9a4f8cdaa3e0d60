import { openAIApiFrom } from '../app/openai-api.js';
import { createPlatformAdapters, type PlatformAdapters } from '../app/platforms.js';
import { createRuntime } from '../app/runtime.js';
import { createHttpApp } from '../server/app.js';
import { filesRouter } from '../server/files-route.js';
import { createHttpLimits, limitWebhooks } from '../server/rate-limits.js';
import { runReadiness } from '../server/readiness.js';
import { tracingSettings } from '../tracing/settings.js';
import { startTracing } from '../tracing/start.js';
import { configOrExit, EXIT_CONFIG } from './config-or-exit.js';
import { listenWithShutdown } from './listen.js';
import { loggerFor } from './logger-for.js';
import { exitOnBadPermissions } from './permissions/exit.js';

/** `teambot serve`: the HTTP server, the platform adapters, and a graceful shutdown. */
export async function runServe(version: string): Promise<void> {
  const config = configOrExit();
  const logger = loggerFor(config);
  // Before the runtime: the pipeline, engine and HTTP app add their spans only when tracing is on.
  const tracing = await startTracing(
    tracingSettings(config, 'teambot'),
    { version, role: 'gateway' },
    logger,
  );
  const runtime = await createRuntime(config, logger, {
    version,
    defaultPublicUrl: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`,
  }).catch(exitOnBadPermissions);
  let platforms: PlatformAdapters;
  try {
    platforms = await createPlatformAdapters(runtime);
  } catch (error) {
    logger.fatal({ err: error }, `cannot set up the chat platforms: ${(error as Error).message}`);
    await runtime.close();
    process.exit(EXIT_CONFIG);
  }
  const httpLimits = createHttpLimits({ ...config, redis: runtime.redis, logger });
  // Per-key limits (API_RATE_LIMIT) run inside the API router, after its key check.
  const api = openAIApiFrom(runtime, httpLimits.api);
  const app = createHttpApp({
    logger,
    metrics: runtime.metrics,
    readiness: () => runReadiness({ ...runtime.readinessChecks, ...platforms.readinessChecks }),
    routers: [
      ...limitWebhooks(platforms.routers, httpLimits.webhook),
      { path: '/v1', router: api.router, onError: api.onError },
      {
        path: '/files',
        router: filesRouter({ objects: runtime.objects, signingSecret: runtime.signingSecret, logger }),
      },
    ],
  });
  await listenWithShutdown(app, {
    config,
    logger,
    runtime,
    steps: [
      { name: 'stop chat platform adapters', run: () => platforms.stop() },
      {
        name: 'finish replies in flight',
        run: async (deadline) => {
          const result = await runtime.bot.pipeline.drain(deadline.remainingMs());
          logger.info(result, 'replies drained');
        },
      },
      {
        name: 'hand running turns back',
        // With Redis another replica continues them at once (in the same messages); alone, they may finish.
        run: (deadline) => runtime.turns.stop(runtime.redis === undefined ? deadline.remainingMs() : 0),
      },
      { name: 'stop API tasks', run: () => api.close() },
      {
        name: 'close stores and engine',
        run: async () => {
          await runtime.close();
          await httpLimits.close();
        },
      },
      { name: 'export the last spans', run: () => tracing.shutdown() },
    ],
  });
  runtime.turns.start(runtime.bot.pipeline);
  await platforms.start();
  await reportStartup(runtime, platforms.names);
}

async function reportStartup(
  runtime: Awaited<ReturnType<typeof createRuntime>>,
  platforms: string[],
): Promise<void> {
  const { logger } = runtime;
  try {
    await runtime.kv.ping();
  } catch (error) {
    logger.error({ err: error }, 'the key-value store is unreachable; /ready reports it until it answers');
  }
  const engine = await runtime.engine.status();
  if (!engine.ready) logger.warn(engine.detail);
  logger.info(
    { engine: runtime.engine.info(), kv: runtime.kv.kind, objects: runtime.objects.kind },
    platforms.length === 0
      ? 'teambot is running; no chat platform is configured (see README: Slack, Lark), try `teambot chat` in a terminal'
      : `teambot is running; answering on ${platforms.join(', ')}`,
  );
}
