import { type ErrorRequestHandler, type RequestHandler, Router } from 'express';
import OpenAI from 'openai';
import { MeteredEngine } from '../../../src/inference/observe/engine.js';
import { createInferenceMetrics } from '../../../src/inference/observe/metrics.js';
import type { InferenceEngine } from '../../../src/inference/types.js';
import type { ImageLoading } from '../../../src/server/openai-api/images.js';
import { type OpenAIApi, openAIApi } from '../../../src/server/openai-api/router.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import type { KeyValueStore } from '../../../src/storage/kv/types.js';
import { serve, type TestServer } from '../fixture.js';

export const KEYS = ['sk-test-one', 'sk-test-two'];

export interface ApiServer extends TestServer {
  api: OpenAIApi;
  client: (key?: string) => OpenAI;
  scrape: () => Promise<string>;
}

/** A real HTTP server with /v1 mounted over `engine` (metered), on 127.0.0.1 and a free port. */
export async function apiServer(
  engine: InferenceEngine,
  options: {
    keys?: string[];
    kv?: KeyValueStore;
    keyLimiter?: RequestHandler;
    maxRunningTasks?: number;
    images?: ImageLoading;
  } = {},
): Promise<ApiServer> {
  const v1 = Router();
  let onError: ErrorRequestHandler | undefined;
  const server = await serve({
    routers: [{ path: '/v1', router: v1, onError: (err, req, res, next) => onError?.(err, req, res, next) }],
  });
  const metrics = createInferenceMetrics(server.metrics.registry);
  const api = openAIApi({
    engine: new MeteredEngine(engine, metrics),
    kv: options.kv ?? new MemoryKeyValueStore(),
    apiKeys: options.keys ?? KEYS,
    defaults: { maxTokens: 64, temperature: 0.7 },
    taskTtlMs: 60_000,
    keyLimiter: options.keyLimiter,
    maxRunningTasks: options.maxRunningTasks,
    images: options.images,
    onReject: (reason) => metrics.apiRejection(reason),
    logger: server.log.logger,
  });
  v1.use(api.router);
  onError = api.onError;
  return {
    ...server,
    api,
    client: (key = KEYS[0]) => new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 }),
    scrape: async () => (await fetch(`${server.url}/metrics`)).text(),
  };
}
