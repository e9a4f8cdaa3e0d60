import { splitThinking } from '../../inference/text/thinking.js';
import type { ChatMessage, InferenceEngine } from '../../inference/types.js';
import { chargeUsage } from '../limits/usage.js';
import { conversationKey } from '../message.js';
import type { MessageContext } from '../pipeline/context.js';
import type { StopSignals } from '../turns/stop-signals.js';
import { markWhenStopped, stoppedByUser } from '../turns/stopped-mark.js';
import type { BotVision, MessageImages } from '../vision/vision.js';
import type { ConversationMemory } from './memory.js';
import { primed } from './primed.js';
import { fitPrompt } from './prompt.js';
import { answerOnly, THINKING_STATUS } from './thinking-stream.js';

/** How long an answer may take to start before the Replier shows that it is being worked on. */
const FIRST_CHUNK_WAIT_MS = 250;

export interface AnswererOptions {
  engine: InferenceEngine;
  memory: ConversationMemory;
  systemPrompt: string;
  maxNewTokens: number;
  temperature: number;
  /** Chat ids where a reasoning model thinks before every answer. */
  thinkingChats?: ReadonlySet<string>;
  /** Reloads the images earlier questions showed (engines that see); without it history is text only. */
  vision?: BotVision;
  /** Where running answers register, so that a stop (button, /stop, native control) reaches them. */
  stopSignals: StopSignals;
}

export interface AnswerOptions {
  /** Let a reasoning model think first (/think); default: whether the chat is a thinking chat. */
  thinking?: boolean;
  /** Images the question shows (media the sender attached); remembered by reference with it. */
  images?: MessageImages;
}

/** The prompt with the question's images on its last message (the question). */
function withQuestionImages(messages: ChatMessage[], images: MessageImages | undefined): ChatMessage[] {
  const last = messages.at(-1);
  if (images === undefined || images.inputs.length === 0 || last === undefined) return messages;
  return [...messages.slice(0, -1), { ...last, images: images.inputs }];
}

export type Answerer = (ctx: MessageContext, question: string, options?: AnswerOptions) => Promise<void>;

/**
 * Text → answer: the conversation's history and the question, trimmed to the context,
 * streamed to the sender; the exchange is remembered once the answer is complete.
 */
export function createAnswerer(options: AnswererOptions): Answerer {
  const { engine, memory } = options;
  const stops = options.stopSignals;
  return async (ctx, question, answerOptions = {}) => {
    const conversation = conversationKey(ctx.message);
    const { platform, workspace, user, chat } = ctx.message;
    const turn = stops.register({ conversation, platform, workspace, chat: chat.id, userId: user.id });
    try {
      await answerTurn(ctx, question, answerOptions, AbortSignal.any([ctx.signal, turn.signal]));
    } finally {
      turn.release();
    }
  };

  async function answerTurn(
    ctx: MessageContext,
    question: string,
    answerOptions: AnswerOptions,
    signal: AbortSignal,
  ): Promise<void> {
    const conversation = conversationKey(ctx.message);
    const remembered = await memory.load(conversation).catch((error: unknown) => {
      ctx.log.warn({ err: error }, 'conversation history unavailable; answering without it');
      return [];
    });
    const history = options.vision
      ? await options.vision.withImages(ctx, remembered)
      : remembered.map(({ role, content }) => ({ role, content }));
    const { images } = answerOptions;
    const channel = ctx.channel;
    const fitted = fitPrompt({
      system: channel?.systemPrompt ?? options.systemPrompt,
      history,
      question,
      countTokens: (messages) => engine.countTokens(withQuestionImages(messages, images)),
      contextLength: engine.info().contextLength,
      maxNewTokens: options.maxNewTokens,
    });
    const prompt = { ...fitted, messages: withQuestionImages(fitted.messages, images) };
    if (prompt.dropped > 0)
      ctx.log.debug({ dropped: prompt.dropped }, 'older turns left out to fit the context');
    const { platform, workspace, user } = ctx.message;
    const thinking =
      answerOptions.thinking ??
      (options.thinkingChats?.has(ctx.message.chat.id) === true || channel?.thinking === true);
    const generation = engine.generate(
      {
        messages: prompt.messages,
        maxTokens: prompt.maxTokens,
        temperature: options.temperature,
        user: `${platform}:${workspace}:${user.id}`,
        thinking,
        ...(channel?.backend === undefined ? {} : { backend: channel.backend }),
        // Every Replier shows an answer that starts over in place (a worker died midway).
        restartable: true,
      },
      signal,
    );
    // Thinking text is never the answer: the sender sees a status line while it lasts.
    const stream = answerOnly(generation, thinking, () => {
      const { reply } = ctx;
      (reply.status === undefined ? reply.notice(THINKING_STATUS) : reply.status(THINKING_STATUS)).catch(
        (error: unknown) => {
          ctx.log.warn({ err: error }, 'could not post the thinking status');
        },
      );
    });
    const backend = engine.info().name;
    const feedback = generation.result.then(
      (done) => ({ model: done.model, backend }),
      () => undefined,
    );
    // A busy or refused answer fails here, before the Replier shows a status or opens a stream.
    const chunks = await primed(stream.chunks, FIRST_CHUNK_WAIT_MS);
    await ctx.reply.stream(markWhenStopped(chunks, signal), { feedback });
    const result = await generation.result;
    const answer = splitThinking(result.text, thinking).answer;
    ctx.log.info(
      {
        finishReason: result.finishReason,
        usage: result.usage,
        model: result.model,
        thoughtChars: stream.thinking().length,
        stopped: stoppedByUser(signal),
      },
      'answered',
    );
    await chargeUsage(ctx, result.usage.completionTokens);
    if (result.finishReason !== 'cancelled' && answer.trim() !== '') {
      await memory.append(conversation, question, answer, images?.refs).catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'could not remember this exchange');
      });
    }
  }
}
