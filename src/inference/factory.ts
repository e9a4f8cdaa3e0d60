import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { ObjectStore } from '../storage/object/types.js';
import type { BatchMetrics } from './batching/metrics.js';
import type { BreakerState } from './chain/breaker.js';
import { ChainEngine, type ChainOptions } from './chain/engine.js';
import type { ProgressListener } from './hub/progress.js';
import { NoticeEngine } from './notice-engine.js';
import { localEngineSettings, openLocalEngine } from './onnx/from-config.js';
import { OpenAICompatibleEngine } from './openai/engine.js';
import { dataUrl, type ImageUrlOf, presignedUrls } from './openai/image-urls.js';
import { PoolEngine } from './pool/pool-engine.js';
import { resolveModel } from './resolve-model.js';
import { ThreadEngine } from './thread/thread-engine.js';
import type { InferenceEngine } from './types.js';
import { UnconfiguredEngine } from './unconfigured.js';
import { gateImages } from './vision/sight.js';

export type EngineConfig = Pick<
  Config,
  | 'OPENAI_BASE_URL'
  | 'OPENAI_API_KEY'
  | 'OPENAI_MODEL'
  | 'INFERENCE_TIMEOUT_MS'
  | 'CONTEXT_LENGTH'
  | 'MODEL'
  | 'MODELS_DIR'
  | 'MODEL_DTYPE'
  | 'INFERENCE_DEVICE'
  | 'INFERENCE_THREADS'
  | 'INFERENCE_SPIN'
  | 'MAX_NEW_TOKENS'
  | 'TEMPERATURE'
  | 'BATCH_MAX_SIZE'
  | 'BATCH_MAX_WAITING'
  | 'BATCH_MAX_TOKENS_IN_FLIGHT'
  | 'BATCH_PER_USER_MAX'
  | 'INFERENCE_THREAD'
  | 'HF_ENDPOINT'
  | 'HF_TOKEN'
> &
  Partial<
    Pick<
      Config,
      | 'ENGINE_CHAIN'
      | 'PREFIX_CACHE_BYTES'
      | 'ENGINE_RETRY_BASE_MS'
      | 'ENGINE_BREAKER_THRESHOLD'
      | 'ENGINE_BREAKER_HALF_OPEN_MS'
      | 'ENGINE_URLS'
      | 'ENGINE_API_KEY'
      | 'ENGINE_HEALTH_INTERVAL_MS'
      | 'ENGINE_WAIT_MS'
      | 'INFERENCE_THREAD_NICE'
      | 'OPENAI_VISION'
      | 'OPENAI_IMAGE_TRANSPORT'
      | 'OPENAI_IMAGE_URL_TTL_S'
      | 'VISION_VIDEO_TOKENS'
    >
  >;

export interface EngineDeps {
  logger?: Logger;
  fetch?: typeof fetch;
  /** Progress of a model pull at start-up. */
  onPullProgress?: ProgressListener;
  /** Told which device and variant the local engine runs on, and why (for /metrics). */
  onDevice?: (choice: { model: string; device: string; dtype?: string; reason: string }) => void;
  /** The local engine's batch size, queue depth and rejections (for /metrics). */
  batchMetrics?: BatchMetrics;
  /** For ENGINE_CHAIN: the response cache's answer to a request that keeps timing out. */
  cachedAnswer?: ChainOptions['cachedAnswer'];
  /** For ENGINE_CHAIN: each backend's circuit breaker state (for /metrics). */
  onBreakerState?: (backend: string, state: BreakerState) => void;
  /** With ENGINE_URLS: the pool, once open (its workers' health and requests go to /metrics). */
  onPool?: (pool: PoolEngine) => void;
  /** Where presigned image links point (OPENAI_IMAGE_TRANSPORT=url): the stored copies. */
  objects?: ObjectStore;
}

/** MODEL=none turns the local engine off (for deployments that only use a remote server). */
export const NO_MODEL = 'none';

export const DEMO_NOTICE =
  '⚠️ teambot is running on its built-in demo model: answers are meaningless until a real model is set ' +
  '(MODEL=<hub id or directory>, then `teambot model pull`, or OPENAI_BASE_URL).';

/**
 * The engine the config asks for. With ENGINE_CHAIN (e.g. `local,remote`), a fallback chain over
 * those backends with retries and circuit breakers (chain/engine.ts). Otherwise one engine: an
 * OpenAI-compatible server when OPENAI_BASE_URL is set, else the local ONNX engine on MODEL
 * (pulled if missing; the generated demo model if that fails).
 */
export async function createEngine(config: EngineConfig, deps: EngineDeps = {}): Promise<InferenceEngine> {
  const chain = config.ENGINE_CHAIN ?? [];
  if (chain.length === 0) {
    return config.OPENAI_BASE_URL !== undefined && (config.ENGINE_URLS ?? []).length === 0
      ? createRemoteEngine(config, deps)
      : createLocalEngine(config, deps);
  }
  const backends: { name: string; engine: InferenceEngine }[] = [];
  try {
    for (const name of chain) {
      const engine =
        name === 'remote' ? createRemoteEngine(config, deps) : await createLocalEngine(config, deps);
      backends.push({ name, engine: gateImages(engine) });
    }
  } catch (error) {
    await Promise.allSettled(backends.map((b) => b.engine.close()));
    throw error;
  }
  return new ChainEngine({
    backends,
    retry: { baseMs: config.ENGINE_RETRY_BASE_MS },
    breaker: {
      threshold: config.ENGINE_BREAKER_THRESHOLD,
      halfOpenAfterMs: config.ENGINE_BREAKER_HALF_OPEN_MS,
    },
    cachedAnswer: deps.cachedAnswer,
    onBreakerState: deps.onBreakerState,
    logger: deps.logger,
  });
}

/** The OpenAI-compatible remote engine on OPENAI_BASE_URL. */
export function createRemoteEngine(config: EngineConfig, deps: EngineDeps = {}): InferenceEngine {
  if (config.OPENAI_BASE_URL === undefined) {
    throw new Error('ENGINE_CHAIN names remote, but OPENAI_BASE_URL is not set.');
  }
  return new OpenAICompatibleEngine({
    baseUrl: config.OPENAI_BASE_URL,
    apiKey: config.OPENAI_API_KEY,
    model: config.OPENAI_MODEL,
    timeoutMs: config.INFERENCE_TIMEOUT_MS,
    contextLength: config.CONTEXT_LENGTH,
    fetch: deps.fetch,
    vision: config.OPENAI_VISION === true,
    imageUrl: remoteImageUrls(config, deps),
  });
}

/** OPENAI_IMAGE_TRANSPORT: `data:` URLs (the default), or presigned links into the object store. */
function remoteImageUrls(config: EngineConfig, deps: EngineDeps): ImageUrlOf {
  if (config.OPENAI_IMAGE_TRANSPORT !== 'url') return dataUrl;
  if (deps.objects === undefined)
    throw new Error(
      'OPENAI_IMAGE_TRANSPORT=url needs an object store (the gateway role); inference workers take data.',
    );
  return presignedUrls(deps.objects, config.OPENAI_IMAGE_URL_TTL_S ?? 900);
}

/**
 * The local engine on MODEL (unconfigured when MODEL=none; the demo model when it cannot be had),
 * in its own thread unless INFERENCE_THREAD=false; or, with ENGINE_URLS, the inference workers there.
 */
export async function createLocalEngine(
  config: EngineConfig,
  deps: EngineDeps = {},
): Promise<InferenceEngine> {
  const urls = config.ENGINE_URLS ?? [];
  if (urls.length > 0) {
    const pool = await PoolEngine.open({
      urls,
      apiKey: config.ENGINE_API_KEY,
      timeoutMs: config.INFERENCE_TIMEOUT_MS,
      contextLength: config.CONTEXT_LENGTH,
      healthIntervalMs: config.ENGINE_HEALTH_INTERVAL_MS ?? 2_000,
      waitForWorkerMs: config.ENGINE_WAIT_MS ?? 15_000,
      fetch: deps.fetch,
      logger: deps.logger?.child({ engine: 'workers' }),
    });
    deps.onPool?.(pool);
    return pool;
  }
  if (config.MODEL?.trim() === NO_MODEL)
    return new UnconfiguredEngine({ contextLength: config.CONTEXT_LENGTH });
  const resolved = await resolveModel(config.MODEL, {
    modelsDir: config.MODELS_DIR,
    dtype: config.MODEL_DTYPE,
    device: config.INFERENCE_DEVICE,
    fallbackToDemo: true,
    endpoint: config.HF_ENDPOINT,
    token: config.HF_TOKEN,
    onProgress: deps.onPullProgress,
    fetch: deps.fetch,
  });
  const model = { dir: resolved.dir, name: resolved.name, demo: resolved.demo };
  const engine = config.INFERENCE_THREAD
    ? await ThreadEngine.open({
        data: { config: localEngineSettings(config), model, nice: config.INFERENCE_THREAD_NICE ?? 0 },
        metrics: deps.batchMetrics,
        logger: deps.logger?.child({ engine: 'thread' }),
      })
    : await openLocalEngine(config, model, deps.batchMetrics);
  const { device, dtype, reason } = engine.device();
  deps.logger?.info(
    { model: resolved.name, dir: resolved.dir, device, dtype, reason },
    `inference on ${device}`,
  );
  deps.onDevice?.({ model: resolved.name, device, dtype, reason });
  if (!resolved.demo) return engine;
  deps.logger?.error({ problem: resolved.problem }, DEMO_NOTICE);
  return new NoticeEngine(engine, DEMO_NOTICE);
}
