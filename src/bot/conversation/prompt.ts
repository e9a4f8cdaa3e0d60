import { DROP_CHUNK_TURNS } from '../../inference/trim-prompt.js';
import type { ChatMessage } from '../../inference/types.js';
import { UserFacingError } from '../errors.js';

export interface FitPromptInput {
  system: string;
  /** Oldest first, in question/answer pairs. */
  history: ChatMessage[];
  question: string;
  countTokens: (messages: ChatMessage[]) => number;
  contextLength: number;
  maxNewTokens: number;
}

export interface FittedPrompt {
  messages: ChatMessage[];
  /** Room left for the answer (at most maxNewTokens). */
  maxTokens: number;
  promptTokens: number;
  /** History messages left out to make room. */
  dropped: number;
}

/** The shortest answer worth generating when the prompt leaves less room than asked for. */
const MIN_ANSWER_TOKENS = 32;

/**
 * System prompt + as much recent history as fits + the question, so that prompt plus answer
 * never exceed the context. History goes oldest first, DROP_CHUNK_TURNS exchanges at a time
 * (counted from the history's start), so that while a thread grows its prompt keeps starting at
 * the same exchange and the engine's prefix cache keeps holding it.
 */
export function fitPrompt(input: FitPromptInput): FittedPrompt {
  const { system, history, question, countTokens, contextLength, maxNewTokens } = input;
  const head: ChatMessage[] = system.trim() === '' ? [] : [{ role: 'system', content: system }];
  const tail: ChatMessage = { role: 'user', content: question };
  const minAnswer = Math.min(MIN_ANSWER_TOKENS, maxNewTokens);
  const budget = contextLength - maxNewTokens;

  // Cut points: before every DROP_CHUNK_TURNS-th question, so the prompt never opens with an
  // orphaned answer and its start moves a chunk at a time.
  const starts = history
    .flatMap((m, i) => (m.role === 'user' ? [i] : []))
    .filter((_, exchange) => exchange % DROP_CHUNK_TURNS === 0);
  starts.push(history.length);
  for (const start of starts) {
    const messages = [...head, ...history.slice(start), tail];
    const promptTokens = countTokens(messages);
    const room = contextLength - promptTokens;
    if (promptTokens <= budget || (start === history.length && room >= minAnswer)) {
      return { messages, promptTokens, maxTokens: Math.min(maxNewTokens, room), dropped: start };
    }
  }
  const alone = countTokens([...head, tail]);
  throw new UserFacingError(
    `Your message is too long for the model (about ${alone} tokens with the instructions; ` +
      `the model reads at most ${contextLength - minAnswer}). Please shorten it.`,
    'prompt_too_long',
  );
}
