import { openAIApiFrom } from '../app/openai-api.js';
import { createWorkerRuntime } from '../app/worker-runtime.js';
import { createHttpApp } from '../server/app.js';
import { loadRouter } from '../server/load-route.js';
import { apiKeyAuth } from '../server/openai-api/auth.js';
import { runReadiness } from '../server/readiness.js';
import { tracingSettings } from '../tracing/settings.js';
import { startTracing } from '../tracing/start.js';
import { configOrExit, EXIT_CONFIG } from './config-or-exit.js';
import { listenWithShutdown } from './listen.js';
import { loggerFor } from './logger-for.js';

/**
 * `teambot worker`: an inference worker. Only the engine, no chat platform: the OpenAI-compatible
 * API at /v1 (what gateways call with ENGINE_URLS and ENGINE_API_KEY), /health, /ready, /metrics,
 * and GET /load for the gateways' choice of worker.
 */
export async function runWorker(version: string): Promise<void> {
  const config = configOrExit();
  const logger = loggerFor(config, { base: { name: 'teambot', role: 'worker' } });
  if (config.API_KEYS.length === 0) {
    process.stderr.write(
      'teambot worker: API_KEYS is not set: gateways authenticate with one of these keys (their ENGINE_API_KEY).\n',
    );
    process.exit(EXIT_CONFIG);
  }
  const tracing = await startTracing(
    tracingSettings(config, 'teambot-worker'),
    { version, role: 'worker' },
    logger,
  );
  const runtime = await createWorkerRuntime(config, logger, { version });
  const api = openAIApiFrom(runtime);
  const auth = apiKeyAuth(config.API_KEYS, (failure) =>
    runtime.inferenceMetrics.apiRejection(failure.reason),
  );
  const app = createHttpApp({
    logger,
    metrics: runtime.metrics,
    readiness: () => runReadiness(runtime.readinessChecks),
    routers: [
      { path: '/v1', router: api.router, onError: api.onError },
      {
        path: '/load',
        router: loadRouter(
          () => runtime.engine.load?.(),
          () => runtime.engine.info().vision === true,
          auth,
        ),
      },
    ],
  });
  const http = await listenWithShutdown(app, {
    config,
    logger,
    runtime,
    steps: [
      { name: 'stop API tasks', run: () => api.close() },
      { name: 'close the engine', run: () => runtime.close() },
      { name: 'export the last spans', run: () => tracing.shutdown() },
    ],
  });
  const info = runtime.engine.info();
  logger.info(
    { engine: info, url: http.url },
    `teambot worker is running: ${info.model} on ${info.name}; gateways reach it with ENGINE_URLS=${http.url}`,
  );
}
