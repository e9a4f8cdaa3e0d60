import type { Config } from '../config/schema.js';
import { prometheusBatchMetrics } from '../inference/batching/metrics.js';
import { pullProgressPrinter } from '../inference/hub/progress-printer.js';
import type { InferenceMetrics } from '../inference/observe/metrics.js';
import { reportPool } from '../inference/pool/metrics.js';
import { createServingEngine } from '../inference/serving.js';
import type { InferenceEngine } from '../inference/types.js';
import type { Logger } from '../log/logger.js';
import { reportInferenceDevice } from '../metrics/inference-device.js';
import type { Metrics } from '../metrics/registry.js';
import type { ReadinessCheck } from '../server/readiness.js';
import type { KeyValueStore } from '../storage/kv/types.js';
import type { ObjectStore } from '../storage/object/types.js';

/**
 * The served engine of either role, its metrics on the process registry, a model pull's progress on
 * stderr. On failure `cleanup` runs before the error is rethrown.
 */
export function createAppEngine(
  config: Config,
  deps: {
    kv: KeyValueStore;
    metrics: Metrics;
    inferenceMetrics: InferenceMetrics;
    logger: Logger;
    /** For presigned image links to a remote engine (OPENAI_IMAGE_TRANSPORT=url). */
    objects?: ObjectStore;
    cleanup: () => Promise<unknown>;
  },
): Promise<InferenceEngine> {
  const progress = pullProgressPrinter(process.stderr);
  return createServingEngine(config, deps.kv, deps.inferenceMetrics, {
    logger: deps.logger,
    onPullProgress: progress,
    onDevice: (choice) => reportInferenceDevice(deps.metrics.registry, choice),
    batchMetrics: prometheusBatchMetrics(deps.metrics.registry),
    onPool: (pool) => reportPool(deps.metrics.registry, pool.endpoints),
    objects: deps.objects,
  })
    .finally(() => progress.stop())
    .catch(async (error: unknown) => {
      await deps.cleanup();
      throw error;
    });
}

/** The engine's part of GET /ready: its own status (the engine thread answers it without a round trip). */
export function engineReadiness(engine: InferenceEngine): ReadinessCheck {
  return async () => {
    const status = await engine.status();
    return { ok: status.ready, detail: status.detail };
  };
}
