import type { RequestHandler } from 'express';
import { type OpenAIApi, openAIApi } from '../server/openai-api/router.js';
import type { Runtime } from './runtime.js';

/** The OpenAI-compatible API (/v1) from the runtime's engine, KV store and config. */
export function openAIApiFrom(
  runtime: Pick<Runtime, 'config' | 'engine' | 'kv' | 'inferenceMetrics' | 'logger'>,
  keyLimiter?: RequestHandler,
): OpenAIApi {
  const { config } = runtime;
  return openAIApi({
    engine: runtime.engine,
    kv: runtime.kv,
    apiKeys: config.API_KEYS,
    defaults: { maxTokens: config.MAX_NEW_TOKENS, temperature: config.TEMPERATURE },
    taskTtlMs: config.API_TASK_TTL_S * 1000,
    maxRunningTasks: config.API_TASKS_MAX_RUNNING,
    keyLimiter,
    onReject: (reason) => runtime.inferenceMetrics.apiRejection(reason),
    logger: runtime.logger.child({ api: 'openai' }),
  });
}
