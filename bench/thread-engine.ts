/** bench/teambot.ts with --thread: the same engine settings, in its own worker thread. */
import { ThreadEngine } from '../src/inference/thread/thread-engine.js';
import type { TeambotJob } from './protocol.js';

export function openThreadEngine(job: TeambotJob): Promise<ThreadEngine> {
  return ThreadEngine.open({
    data: {
      model: { dir: job.modelDir, name: 'teambot-demo-bench', demo: false },
      config: {
        INFERENCE_DEVICE: 'cpu',
        MODEL_DTYPE: job.dtype,
        INFERENCE_THREADS: job.threads,
        INFERENCE_SPIN: true,
        CONTEXT_LENGTH: job.contextLength ?? 2048,
        MAX_NEW_TOKENS: job.tokens,
        TEMPERATURE: 0,
        BATCH_MAX_SIZE: job.maxBatchSize,
        BATCH_MAX_WAITING: 1_000,
        BATCH_MAX_TOKENS_IN_FLIGHT: 65_536,
        BATCH_PER_USER_MAX: 1,
        PREFIX_CACHE_BYTES: job.prefixCacheBytes ?? 0,
      },
    },
  });
}
