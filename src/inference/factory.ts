import type { Config } from '../config/schema.js';
import { OpenAICompatibleEngine } from './openai/engine.js';
import type { InferenceEngine } from './types.js';
import { UnconfiguredEngine } from './unconfigured.js';

export type EngineConfig = Pick<
  Config,
  'OPENAI_BASE_URL' | 'OPENAI_API_KEY' | 'OPENAI_MODEL' | 'INFERENCE_TIMEOUT_MS' | 'CONTEXT_LENGTH' | 'MODEL'
>;

/** The engine the config asks for: an OpenAI-compatible server when OPENAI_BASE_URL is set, else none. */
export function createEngine(config: EngineConfig, deps: { fetch?: typeof fetch } = {}): InferenceEngine {
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
  return new UnconfiguredEngine({ MODEL: config.MODEL, contextLength: config.CONTEXT_LENGTH });
}
