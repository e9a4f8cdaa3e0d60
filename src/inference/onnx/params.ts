import { randomInt } from 'node:crypto';
import type { DecodeParams } from '../batching/decode-types.js';
import type { JsonObject } from '../model/json-file.js';
import { validateSamplingParams } from '../sampling/sample.js';
import type { GenerateRequest } from '../types.js';

export interface EngineDefaults {
  maxNewTokens: number;
  temperature: number;
  prefillChunk: number;
}

function num(config: JsonObject, key: string): number | undefined {
  const value = config[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Sampling settings for one request: the request's own, else the engine's defaults, else what the
 * model's generation_config recommends (top-k/top-p/repetition penalty).
 */
export function decodeParams(
  request: Pick<GenerateRequest, 'temperature' | 'topK' | 'topP' | 'repetitionPenalty' | 'seed' | 'stop'>,
  maxNewTokens: number,
  eosIds: ReadonlySet<number>,
  defaults: EngineDefaults,
  generation: JsonObject,
): DecodeParams {
  const sampling = generation.do_sample !== false;
  const params: DecodeParams = {
    temperature: request.temperature ?? defaults.temperature,
    topK: request.topK ?? (sampling ? num(generation, 'top_k') : undefined),
    topP: request.topP ?? (sampling ? num(generation, 'top_p') : undefined),
    repetitionPenalty: request.repetitionPenalty ?? num(generation, 'repetition_penalty'),
    maxNewTokens,
    seed: request.seed ?? randomInt(2 ** 31),
    stop: request.stop ?? [],
    eosIds,
    prefillChunk: defaults.prefillChunk,
  };
  validateSamplingParams(params);
  return params;
}
