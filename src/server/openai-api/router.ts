import { type ErrorRequestHandler, type RequestHandler, Router } from 'express';
import type { InferenceEngine } from '../../inference/types.js';
import type { Logger } from '../../log/logger.js';
import type { KeyValueStore } from '../../storage/kv/types.js';
import { apiKeyAuth } from './auth.js';
import { chatCompletionsRoute } from './chat-route.js';
import { type ApiFailure, apiErrorHandler, apiFailure, sendFailure } from './errors.js';
import type { ImageLoading } from './images.js';
import { modelsRoutes } from './models-route.js';
import type { RequestDefaults } from './schema.js';
import { TaskStore } from './task-store.js';
import { tasksRoutes } from './tasks-route.js';

export interface OpenAIApiOptions {
  engine: InferenceEngine;
  kv: KeyValueStore;
  /** API_KEYS; with none, every /v1 route answers 503 saying so. */
  apiKeys: readonly string[];
  defaults: RequestDefaults;
  /** How image_url parts are fetched and sanitized; unset: image parts are refused with a 400. */
  images?: ImageLoading;
  /** How long task records are kept (API_TASK_TTL_S). */
  taskTtlMs: number;
  /** Tasks one replica runs at once (API_TASKS_MAX_RUNNING). */
  maxRunningTasks?: number;
  /** Runs after authentication (per-key limits); `res.locals.apiKey.id` names the key. */
  keyLimiter?: RequestHandler;
  /** Counts refusals (teambot_api_rejections_total). */
  onReject?: (reason: string) => void;
  logger?: Logger;
}

export interface OpenAIApi {
  /** Mount at /v1. */
  router: Router;
  /** Mount at /v1 too (MountedRouter.onError): bad JSON bodies and failures in OpenAI's shape. */
  onError: ErrorRequestHandler;
  /** Stops the async tasks this replica runs (marking them failed). */
  close(): Promise<void>;
}

export const API_DISABLED_MESSAGE =
  'The OpenAI-compatible API is off on this server: set API_KEYS (comma-separated keys) to turn it on.';

/** The OpenAI-compatible API: chat completions, models and async tasks, behind Bearer keys. */
export function openAIApi(options: OpenAIApiOptions): OpenAIApi {
  const router = Router();
  const onReject = (failure: ApiFailure) => options.onReject?.(failure.reason);
  const onError = apiErrorHandler(options.logger);
  if (options.apiKeys.length === 0) {
    router.use((_req, res) => {
      const failure = apiFailure(503, API_DISABLED_MESSAGE, { code: 'api_disabled' });
      onReject(failure);
      sendFailure(res, failure);
    });
    return { router, onError, close: async () => {} };
  }
  const { engine, defaults, logger, images } = options;
  const tasks = tasksRoutes({
    engine,
    store: new TaskStore(options.kv, options.taskTtlMs),
    defaults,
    images,
    onReject,
    maxRunning: options.maxRunningTasks,
    logger,
  });
  router.use(apiKeyAuth(options.apiKeys, onReject));
  if (options.keyLimiter !== undefined) router.use(options.keyLimiter);
  router.post('/chat/completions', chatCompletionsRoute({ engine, defaults, images, onReject, logger }));
  router.use('/models', modelsRoutes(engine));
  router.use('/tasks', tasks.router);
  router.use((req, res) => {
    sendFailure(
      res,
      apiFailure(404, `Unknown API route ${req.method} /v1${req.path}.`, { code: 'unknown_url' }),
    );
  });
  return { router, onError, close: () => tasks.close() };
}
