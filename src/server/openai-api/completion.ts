import { randomUUID } from 'node:crypto';
import type { FinishReason, GenerateResult, Usage } from '../../inference/types.js';

/** OpenAI's finish reasons; a cancelled answer (the client left) reports 'stop'. */
export function finishReasonOf(reason: FinishReason): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop';
}

export function usageOf(usage: Usage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
}

export const completionId = () => `chatcmpl-${randomUUID().replaceAll('-', '')}`;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A non-streamed `chat.completion` object. */
export function completionBody(id: string, created: number, result: GenerateResult) {
  return {
    id,
    object: 'chat.completion' as const,
    created,
    model: result.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: result.text },
        logprobs: null,
        finish_reason: finishReasonOf(result.finishReason),
      },
    ],
    usage: usageOf(result.usage),
  };
}

/** One streamed `chat.completion.chunk`. */
export function chunkBody(
  base: { id: string; created: number; model: string },
  delta: { role?: 'assistant'; content?: string },
  finishReason: 'stop' | 'length' | null,
) {
  return {
    ...base,
    object: 'chat.completion.chunk' as const,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}
