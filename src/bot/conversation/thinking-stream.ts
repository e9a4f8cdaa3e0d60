/**
 * What a chat sees of a reasoning model's answer: the answer only. Its thinking (`<think> … </think>`)
 * is never streamed as answer text; while it lasts, the sender gets one status line instead.
 */
import { ThinkingSplitter } from '../../inference/text/thinking.js';
import { RESTART_CHUNK } from '../../inference/types.js';

export const THINKING_STATUS = 'Thinking it through…';

export interface AnswerStream {
  /** The answer's chunks, thinking left out. */
  chunks: AsyncIterable<string>;
  /** The thinking text seen so far (for logs; never posted as the answer). */
  thinking(): string;
}

/**
 * `insideThinking`: the request asked for thinking, so the template opened the section and the
 * model's first words are thinking. `onThinking` is called once, when thinking text first arrives.
 */
export function answerOnly(
  source: AsyncIterable<string>,
  insideThinking: boolean,
  onThinking: () => void,
): AnswerStream {
  let splitter = new ThinkingSplitter(insideThinking);
  let thought = '';
  let told = false;
  const take = (parts: { thinking: string; answer: string }): string => {
    thought += parts.thinking;
    if (!told && thought.trim() !== '') {
      told = true;
      onThinking();
    }
    return parts.answer;
  };
  async function* chunks(): AsyncGenerator<string> {
    for await (const chunk of source) {
      if (chunk === RESTART_CHUNK) {
        // The answer starts over (another worker): so does its thinking; the Replier rewrites in place.
        splitter = new ThinkingSplitter(insideThinking);
        thought = '';
        yield chunk;
        continue;
      }
      const answer = take(splitter.push(chunk));
      if (answer !== '') yield answer;
    }
    const rest = take(splitter.flush());
    if (rest !== '') yield rest;
  }
  return { chunks: chunks(), thinking: () => thought };
}
