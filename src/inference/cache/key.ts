import { createHash } from 'node:crypto';
import { sha256Hex } from '../../util/sha256.js';
import type { GenerateRequest } from '../types.js';

/** Deterministic requests give the same answer every time: greedy (temperature 0) or a fixed seed. */
export function isDeterministic(request: GenerateRequest): boolean {
  return request.temperature === 0 || request.seed !== undefined;
}

/**
 * The cache key of a request: sha256 over the model, every parameter that changes the answer and
 * the full prompt. `user` is left out (it does not change the text).
 */
export function responseCacheKey(model: string, request: GenerateRequest): string {
  const material = {
    model,
    // Pictures by their bytes' hash (and a keyframe's place in its video): same question, other picture, other answer.
    messages: request.messages.map(({ role, content, images }) =>
      images === undefined || images.length === 0
        ? [role, content]
        : [role, content, images.map((i) => [sha256Hex(i.data), i.videoId ?? null, i.videoTimeMs ?? null])],
    ),
    maxTokens: request.maxTokens ?? null,
    temperature: request.temperature ?? null,
    topP: request.topP ?? null,
    topK: request.topK ?? null,
    stop: request.stop ?? [],
    seed: request.seed ?? null,
    repetitionPenalty: request.repetitionPenalty ?? null,
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}
