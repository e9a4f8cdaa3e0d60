import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { BatchMetrics } from './batching/metrics.js';
import type { ProgressListener } from './hub/progress.js';
import { NoticeEngine } from './notice-engine.js';
import { openLocalEngine } from './onnx/from-config.js';
import { OpenAICompatibleEngine } from './openai/engine.js';
import { resolveModel } from './resolve-model.js';
import type { InferenceEngine } from './types.js';
import { UnconfiguredEngine } from './unconfigured.js';

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
}

/** MODEL=none turns the local engine off (for deployments that only use a remote server). */
export const NO_MODEL = 'none';

export const DEMO_NOTICE =
  '⚠️ teambot is running on its built-in demo model: answers are meaningless until a real model is set ' +
  '(MODEL=<hub id or directory>, then `teambot model pull`, or OPENAI_BASE_URL).';

/**
 * The engine the config asks for: an OpenAI-compatible server when OPENAI_BASE_URL is set, else
 * the local ONNX engine on MODEL (pulled if missing; the generated demo model if that fails).
 */
export async function createEngine(config: EngineConfig, deps: EngineDeps = {}): Promise<InferenceEngine> {
  if (config.OPENAI_BASE_URL !== undefined) {
    return new OpenAICompatibleEngine({
      baseUrl: config.OPENAI_BASE_URL,
      apiKey: config.OPENAI_API_KEY,
      model: config.OPENAI_MODEL,
      timeoutMs: config.INFERENCE_TIMEOUT_MS,
      contextLength: config.CONTEXT_LENGTH,
      fetch: deps.fetch,
    });
  }
  if (config.MODEL?.trim() === NO_MODEL)
    return new UnconfiguredEngine({ contextLength: config.CONTEXT_LENGTH });
  const resolved = await resolveModel(config.MODEL, {
    modelsDir: config.MODELS_DIR,
    dtype: config.MODEL_DTYPE,
    device: config.INFERENCE_DEVICE,
    fallbackToDemo: true,
    onProgress: deps.onPullProgress,
    fetch: deps.fetch,
  });
  const engine = await openLocalEngine(config, resolved, deps.batchMetrics);
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
