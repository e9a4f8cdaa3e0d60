import type { RequestHandler } from 'express';
import type { Config } from '../config/schema.js';
import type { ImageLoading } from '../server/openai-api/images.js';
import { type OpenAIApi, openAIApi } from '../server/openai-api/router.js';
import { mediaLimitsFromConfig } from '../storage/media/from-config.js';
import { sanitizeImage } from '../storage/media/model-images.js';
import type { Runtime } from './runtime.js';

/** image_url parts: fetched through the SSRF guard, sniffed and sanitized as chat media are. */
export function apiImageLoading(config: Config): ImageLoading {
  const limits = mediaLimitsFromConfig(config);
  return {
    maxImages: config.API_IMAGES_MAX,
    fetch: {
      allowPrivate: config.API_IMAGE_FETCH_ALLOW_PRIVATE,
      maxBytes: limits.maxBytes.image,
      timeoutMs: config.API_IMAGE_FETCH_TIMEOUT_MS,
      maxRedirects: config.API_IMAGE_FETCH_MAX_REDIRECTS,
    },
    sanitize: (bytes) => sanitizeImage(bytes, limits),
  };
}

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
    images: apiImageLoading(config),
    taskTtlMs: config.API_TASK_TTL_S * 1000,
    maxRunningTasks: config.API_TASKS_MAX_RUNNING,
    keyLimiter,
    onReject: (reason) => runtime.inferenceMetrics.apiRejection(reason),
    logger: runtime.logger.child({ api: 'openai' }),
  });
}
