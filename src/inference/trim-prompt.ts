import { EngineError } from './errors.js';
import type { ChatMessage } from './types.js';

export interface TrimmedPrompt {
  messages: ChatMessage[];
  promptTokens: number;
  /** The answer's budget: the asked maximum, or less when the context has less room. */
  maxNewTokens: number;
  /** Messages left out, oldest first. */
  dropped: number;
}

const MIN_ANSWER_TOKENS = 16;

/**
 * Turns (a question and its answers) dropped together when a conversation outgrows the context:
 * the kept part then starts at the same turn for several turns, so the prefix cache keeps
 * serving it, instead of a start that moves (and a prompt prefilled from scratch) every turn.
 */
export const DROP_CHUNK_TURNS = 4;

/**
 * Drops the oldest turns (never system messages, never the last message), DROP_CHUNK_TURNS at a
 * time, until prompt plus answer fit the context; then shortens the answer if it must. A prompt
 * that cannot fit even alone is a clear bad_request error.
 */
export function trimPrompt(
  messages: readonly ChatMessage[],
  countTokens: (messages: ChatMessage[]) => number,
  contextLength: number,
  maxNewTokens: number,
): TrimmedPrompt {
  const minAnswer = Math.min(MIN_ANSWER_TOKENS, maxNewTokens);
  let kept = [...messages];
  let dropped = 0;
  for (;;) {
    const promptTokens = countTokens(kept);
    if (promptTokens + maxNewTokens <= contextLength)
      return { messages: kept, promptTokens, maxNewTokens, dropped };
    const oldest = kept.findIndex((m, i) => m.role !== 'system' && i < kept.length - 1);
    if (oldest === -1) {
      const room = contextLength - promptTokens;
      if (room >= minAnswer) return { messages: kept, promptTokens, maxNewTokens: room, dropped };
      throw new EngineError(
        'bad_request',
        `The prompt is ${promptTokens} tokens; with room for an answer the model reads at most ` +
          `${contextLength - minAnswer}. Shorten it.`,
      );
    }
    // Drop whole turns (each with the answers right after it), so the prompt never opens with an
    // orphaned answer.
    let end = oldest;
    for (let turn = 0; turn < DROP_CHUNK_TURNS && end < kept.length - 1; turn++) {
      end++;
      while (end < kept.length - 1 && kept[end]?.role === 'assistant') end++;
    }
    dropped += end - oldest;
    kept = [...kept.slice(0, oldest), ...kept.slice(end)];
  }
}
