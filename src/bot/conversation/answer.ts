import { splitThinking } from '../../inference/text/thinking.js';
import type { InferenceEngine } from '../../inference/types.js';
import { chargeUsage } from '../limits/usage.js';
import { conversationKey } from '../message.js';
import type { MessageContext } from '../pipeline/context.js';
import { markedWhenStopped } from '../turns/stopped-marker.js';
import type { ConversationMemory } from './memory.js';
import { fitPrompt } from './prompt.js';
import { answerOnly, THINKING_STATUS } from './thinking-stream.js';

export interface AnswererOptions {
  engine: InferenceEngine;
  memory: ConversationMemory;
  systemPrompt: string;
  maxNewTokens: number;
  temperature: number;
  /** Chat ids where a reasoning model thinks before every answer. */
  thinkingChats?: ReadonlySet<string>;
}

export interface AnswerOptions {
  /** Let a reasoning model think first (/think); default: whether the chat is a thinking chat. */
  thinking?: boolean;
}

export type Answerer = (ctx: MessageContext, question: string, options?: AnswerOptions) => Promise<void>;

/**
 * Text → answer: the conversation's history and the question, trimmed to the context,
 * streamed to the sender; the exchange is remembered once the answer is complete.
 */
export function createAnswerer(options: AnswererOptions): Answerer {
  const { engine, memory } = options;
  return async (ctx, question, answerOptions = {}) => {
    const conversation = conversationKey(ctx.message);
    const history = await memory.load(conversation).catch((error: unknown) => {
      ctx.log.warn({ err: error }, 'conversation history unavailable; answering without it');
      return [];
    });
    const prompt = fitPrompt({
      system: options.systemPrompt,
      history,
      question,
      countTokens: (messages) => engine.countTokens(messages),
      contextLength: engine.info().contextLength,
      maxNewTokens: options.maxNewTokens,
    });
    if (prompt.dropped > 0)
      ctx.log.debug({ dropped: prompt.dropped }, 'older turns left out to fit the context');
    const { platform, workspace, user } = ctx.message;
    const thinking = answerOptions.thinking ?? options.thinkingChats?.has(ctx.message.chat.id) ?? false;
    const generation = engine.generate(
      {
        messages: prompt.messages,
        maxTokens: prompt.maxTokens,
        temperature: options.temperature,
        user: `${platform}:${workspace}:${user.id}`,
        thinking,
        // Every Replier shows an answer that starts over in place (a worker died midway).
        restartable: true,
      },
      ctx.signal,
    );
    // Thinking text is never the answer: the sender sees a status line while it lasts.
    const stream = answerOnly(generation, thinking, () => {
      ctx.reply.notice(THINKING_STATUS).catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'could not post the thinking status');
      });
    });
    await ctx.reply.stream(markedWhenStopped(stream.chunks, ctx.signal));
    const result = await generation.result;
    const answer = splitThinking(result.text, thinking).answer;
    ctx.log.info(
      {
        finishReason: result.finishReason,
        usage: result.usage,
        model: result.model,
        thoughtChars: stream.thinking().length,
      },
      'answered',
    );
    await chargeUsage(ctx, result.usage.completionTokens);
    if (result.finishReason !== 'cancelled' && answer.trim() !== '') {
      await memory.append(conversation, question, answer).catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'could not remember this exchange');
      });
    }
  };
}
