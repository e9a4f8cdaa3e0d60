import type { InferenceEngine } from '../../inference/types.js';
import { chargeUsage } from '../limits/usage.js';
import { conversationKey } from '../message.js';
import type { MessageContext } from '../pipeline/context.js';
import type { ConversationMemory } from './memory.js';
import { fitPrompt } from './prompt.js';

export interface AnswererOptions {
  engine: InferenceEngine;
  memory: ConversationMemory;
  systemPrompt: string;
  maxNewTokens: number;
  temperature: number;
}

export type Answerer = (ctx: MessageContext, question: string) => Promise<void>;

/**
 * Text → answer: the conversation's history and the question, trimmed to the context,
 * streamed to the sender; the exchange is remembered once the answer is complete.
 */
export function createAnswerer(options: AnswererOptions): Answerer {
  const { engine, memory } = options;
  return async (ctx, question) => {
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
    const generation = engine.generate(
      {
        messages: prompt.messages,
        maxTokens: prompt.maxTokens,
        temperature: options.temperature,
        user: `${platform}:${workspace}:${user.id}`,
        // Every Replier shows an answer that starts over in place (a worker died midway).
        restartable: true,
      },
      ctx.signal,
    );
    await ctx.reply.stream(generation);
    const result = await generation.result;
    ctx.log.info({ finishReason: result.finishReason, usage: result.usage, model: result.model }, 'answered');
    await chargeUsage(ctx, result.usage.completionTokens);
    if (result.finishReason !== 'cancelled' && result.text.trim() !== '') {
      await memory.append(conversation, question, result.text).catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'could not remember this exchange');
      });
    }
  };
}
