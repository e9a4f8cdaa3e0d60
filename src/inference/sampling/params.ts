import { EngineError } from '../errors.js';

/** How the next token is chosen from a row of logits (Hugging Face semantics). */
export interface SamplingParams {
  /** 0 (or anything up to 1e-5) means greedy: always the most likely token. */
  temperature: number;
  /** Keep only the k most likely tokens (0 or undefined: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability adds up to at least this (1: all). */
  topP?: number;
  /** Drop tokens less likely than this fraction of the most likely one's probability (0: none). */
  minP?: number;
  /** Divide positive logits (multiply negative ones) of tokens already seen by this (1: off). */
  repetitionPenalty?: number;
}

/** Below this temperature sampling is greedy. */
export const GREEDY_TEMPERATURE = 1e-5;

function bad(message: string): never {
  throw new EngineError('bad_request', message);
}

/** Throws a bad_request EngineError that says which setting is out of range. */
export function validateSamplingParams(params: SamplingParams): void {
  const { temperature, topK, topP, minP, repetitionPenalty } = params;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature < 0) {
    bad(`temperature must be a number of 0 or more (0 = greedy); got ${temperature}.`);
  }
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 0)) {
    bad(`top_k must be a whole number of 0 or more (0 = off); got ${topK}.`);
  }
  if (topP !== undefined && (!Number.isFinite(topP) || topP <= 0 || topP > 1)) {
    bad(`top_p must be more than 0 and at most 1; got ${topP}.`);
  }
  if (minP !== undefined && (!Number.isFinite(minP) || minP < 0 || minP > 1)) {
    bad(`min_p must be between 0 and 1; got ${minP}.`);
  }
  if (repetitionPenalty !== undefined && (!Number.isFinite(repetitionPenalty) || repetitionPenalty <= 0)) {
    bad(`repetition_penalty must be more than 0 (1 = off); got ${repetitionPenalty}.`);
  }
}
