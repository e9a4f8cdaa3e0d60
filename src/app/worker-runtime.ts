import type { Config } from '../config/schema.js';
import { createInferenceMetrics, type InferenceMetrics } from '../inference/observe/metrics.js';
import type { InferenceEngine } from '../inference/types.js';
import type { Logger } from '../log/logger.js';
import { createMetrics, type Metrics } from '../metrics/registry.js';
import type { ReadinessCheck } from '../server/readiness.js';
import { createKeyValueStore } from '../storage/kv/factory.js';
import type { KeyValueStore } from '../storage/kv/types.js';
import { closeAll } from './close-all.js';
import { createAppEngine, engineReadiness } from './engine.js';
import { redisConnectorFrom } from './redis.js';
import { reportRuntime } from './runtime-metrics.js';

/** What `teambot worker` runs: the engine with its metrics, and the KV store the API's tasks use. */
export interface WorkerRuntime {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  inferenceMetrics: InferenceMetrics;
  kv: KeyValueStore;
  engine: InferenceEngine;
  readinessChecks: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/** The inference worker's runtime: no chat platform, no permissions, no media; the engine only. */
export async function createWorkerRuntime(
  config: Config,
  logger: Logger,
  options: { version: string },
): Promise<WorkerRuntime> {
  const metrics = createMetrics({ version: options.version });
  const kv = createKeyValueStore({
    prefix: config.KV_PREFIX,
    redis: redisConnectorFrom(config, logger, metrics),
  });
  const inferenceMetrics = createInferenceMetrics(metrics.registry);
  // A worker is the engine: it never forwards to other workers itself.
  const engine = await createAppEngine(
    { ...config, ENGINE_URLS: [] },
    { kv, metrics, inferenceMetrics, logger, cleanup: () => kv.close() },
  );
  const readinessChecks: Record<string, ReadinessCheck> = {
    engine: engineReadiness(engine),
  };
  reportRuntime(metrics.registry, engine, readinessChecks);
  return {
    config,
    logger,
    metrics,
    inferenceMetrics,
    kv,
    engine,
    readinessChecks,
    close: () => closeAll(logger, [engine.close(), kv.close()]),
  };
}
