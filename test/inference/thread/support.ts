import type { BatchMetrics } from '../../../src/inference/batching/metrics.js';
import type { LocalEngineConfig } from '../../../src/inference/onnx/from-config.js';
import { ThreadEngine } from '../../../src/inference/thread/thread-engine.js';

export const THREAD_SETTINGS: LocalEngineConfig = {
  INFERENCE_DEVICE: 'cpu',
  MODEL_DTYPE: 'fp32',
  INFERENCE_THREADS: 1,
  INFERENCE_SPIN: false,
  CONTEXT_LENGTH: 2048,
  MAX_NEW_TOKENS: 16,
  TEMPERATURE: 0,
  BATCH_MAX_SIZE: 8,
  BATCH_MAX_WAITING: 16,
  BATCH_MAX_TOKENS_IN_FLIGHT: 65_536,
  BATCH_PER_USER_MAX: 0,
};

/** The local engine on `dir` in its own thread, with the test settings above (and `overrides`). */
export function openThread(
  dir: string,
  overrides: Partial<LocalEngineConfig> = {},
  metrics?: BatchMetrics,
  nice = 0,
): Promise<ThreadEngine> {
  return ThreadEngine.open({
    data: {
      config: { ...THREAD_SETTINGS, ...overrides },
      model: { dir, name: 'test-model', demo: false },
      nice,
    },
    metrics,
    restartDelayMs: 10,
  });
}
