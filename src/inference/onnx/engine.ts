import { randomUUID } from 'node:crypto';
import { RowChannel, type RowOutcome } from '../batching/channel.js';
import type { DecodeParams } from '../batching/decode-types.js';
import type { BatchMetrics } from '../batching/metrics.js';
import { BatchScheduler, type SchedulerStats } from '../batching/scheduler.js';
import type { BatchSettings } from '../batching/settings.js';
import { EngineError } from '../errors.js';
import { createGeneration } from '../generation.js';
import { encodePrompt, formatPrompt } from '../text/prompt.js';
import { trimPrompt } from '../trim-prompt.js';
import type {
  ChatMessage,
  EngineInfo,
  EngineStatus,
  GenerateRequest,
  GenerateResult,
  Generation,
  InferenceEngine,
} from '../types.js';
import type { VisionPrompt, VisionSettings } from '../vision/prompt.js';
import { hasPictures, picturePrompt } from '../vision/request.js';
import type { LoadedModel } from './load-model.js';
import { decodeParams, type EngineDefaults } from './params.js';

export interface OnnxEngineOptions {
  /** The name shown in replies and /v1/models (a hub id or the directory's name). */
  name: string;
  /** Caps the model's own context length (CONTEXT_LENGTH). */
  contextLength: number;
  defaults: EngineDefaults;
  batch: BatchSettings;
  metrics?: BatchMetrics;
  /** The clock of per-request deadlines (tests move it); performance.now() by default. */
  clock?: () => number;
  /** Pictures' budgets (vision-language models). */
  vision?: VisionSettings;
  /** Host memory for the prefix cache across requests (PREFIX_CACHE_BYTES); 0 or absent: none. */
  prefixCacheBytes?: number;
}

/** Visual tokens one video's keyframes may take unless configured (VISION_VIDEO_TOKENS). */
export const DEFAULT_VIDEO_TOKENS = 1536;

/** A raw completion: the prompt is tokenized as is, without the chat template. */
export interface RawRequest extends Omit<GenerateRequest, 'messages'> {
  prompt: string;
}

/** Whether the graph can decode left-padded rows together: it needs an attention mask and position ids. */
export function graphCanBatch(model: Pick<LoadedModel, 'spec'>): boolean {
  return model.spec.attentionMask !== undefined && model.spec.positionIds !== undefined;
}

/**
 * The local engine: one ONNX session and the BatchScheduler that owns it. Every generation, alone
 * or beside others, is a row of the scheduler (batch.maxBatchSize 1 runs one at a time); this class
 * turns requests into prompt ids and decode settings and rows' outcomes into results.
 */
export class OnnxEngine implements InferenceEngine {
  private readonly scheduler: BatchScheduler;
  private closed = false;
  readonly id = randomUUID();

  constructor(
    readonly model: LoadedModel,
    private readonly options: OnnxEngineOptions,
  ) {
    this.scheduler = new BatchScheduler(
      {
        session: model.opened.session,
        spec: model.spec,
        tokenizer: model.tokenizer.tokenizer,
        vision: model.vision,
      },
      {
        settings: options.batch,
        metrics: options.metrics,
        canBatch: graphCanBatch(model),
        clock: options.clock,
        prefixCacheBytes: options.prefixCacheBytes,
      },
    );
  }

  info(): EngineInfo {
    const own = this.model.contextLength ?? this.options.contextLength;
    return {
      name: 'onnx',
      model: this.options.name,
      contextLength: Math.min(own, this.options.contextLength),
      ...(this.model.vision === undefined ? {} : { vision: true }),
    };
  }

  /** The device in use and why it was chosen. */
  device(): { device: string; dtype?: string; reason: string } {
    const { opened } = this.model;
    return { device: opened.device, dtype: opened.graph.dtype, reason: opened.reason };
  }

  countTokens(messages: ChatMessage[]): number {
    return this.encodeMessages(messages).length;
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    if (this.model.vision !== undefined && hasPictures(request.messages)) {
      return this.start([], 0, request, signal, undefined, request.messages);
    }
    try {
      if (request.messages.every((m) => m.content.trim() === '')) {
        throw new EngineError('bad_request', 'The prompt is empty: no message has any text.');
      }
      const budget = request.maxTokens ?? this.options.defaults.maxNewTokens;
      // Remember the last encoding: the prompt that fits is the last one counted.
      let last: { messages: ChatMessage[]; ids: number[] } | undefined;
      const count = (messages: ChatMessage[]) => {
        last = { messages, ids: this.encodeMessages(messages, request.thinking === true) };
        return last.ids.length;
      };
      const trimmed = trimPrompt(request.messages, count, this.info().contextLength, budget);
      const ids =
        last?.messages === trimmed.messages
          ? last.ids
          : this.encodeMessages(trimmed.messages, request.thinking === true);
      return this.start(ids, trimmed.maxNewTokens, request, signal);
    } catch (error) {
      return this.start([], 0, request, signal, error);
    }
  }

  /** Generates from a prompt tokenized as is (no chat template). */
  complete(request: RawRequest, signal?: AbortSignal): Generation {
    try {
      const ids = this.model.tokenizer.tokenizer.encode(request.prompt);
      const room = this.info().contextLength - ids.length;
      const budget = Math.min(request.maxTokens ?? this.options.defaults.maxNewTokens, room);
      if (budget < 1) {
        throw new EngineError(
          'bad_request',
          `The prompt is ${ids.length} tokens; the context holds ${this.info().contextLength}.`,
        );
      }
      return this.start(ids, budget, request, signal);
    } catch (error) {
      return this.start([], 0, request, signal, error);
    }
  }

  async status(): Promise<EngineStatus> {
    const { device, dtype, reason } = this.device();
    if (this.closed) return { ready: false, detail: 'closed' };
    return {
      ready: true,
      detail: `${this.options.name} on ${device}${dtype ? ` (${dtype})` : ''}: ${reason}`,
    };
  }

  /** Rows running and waiting, decode steps, and the stalls newcomers' prefills caused. */
  batchStats(): SchedulerStats {
    return this.scheduler.stats();
  }

  /** Fails what is running or waiting as closed, then releases the session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.scheduler.close();
    await this.model.opened.session.release();
    await this.model.vision?.release();
  }

  /** `thinking`: the template's enable_thinking (reasoning models think first only when asked). */
  private encodeMessages(messages: ChatMessage[], thinking = false): number[] {
    const text = formatPrompt(this.model.tokenizer, messages, { extra: { enable_thinking: thinking } });
    return encodePrompt(this.model.tokenizer, text);
  }

  private checkIds(ids: readonly number[]): void {
    if (ids.length === 0) throw new EngineError('bad_request', 'The prompt is empty.');
    const { vocabSize } = this.model;
    const outside = ids.find((id) => id < 0 || id >= vocabSize);
    if (outside !== undefined) {
      throw new EngineError(
        'bad_request',
        `The prompt has token id ${outside}, but the model's vocabulary has ${vocabSize} ids: ` +
          "the tokenizer does not match the model (or the text uses tokens this model can't read).",
      );
    }
  }

  private start(
    promptIds: number[],
    maxNewTokens: number,
    request: Omit<GenerateRequest, 'messages'>,
    signal: AbortSignal | undefined,
    failure?: unknown,
    pictures?: readonly ChatMessage[],
  ): Generation {
    const model = this.options.name;
    const usage = (completionTokens: number) => ({ promptTokens: promptIds.length, completionTokens });
    const run = (inner: AbortSignal) =>
      pictures === undefined
        ? this.run(promptIds, maxNewTokens, request, inner, failure)
        : this.runPictures(pictures, request, inner);
    return createGeneration(run, {
      signal,
      cancelled: (text) => ({
        text,
        usage: usage(0),
        finishReason: 'cancelled',
        model,
        promptTokenIds: promptIds,
      }),
    });
  }

  /** A request with pictures: preprocessed (sharp), trimmed and expanded first (vision/request.ts). */
  private async *runPictures(
    messages: readonly ChatMessage[],
    request: Omit<GenerateRequest, 'messages'>,
    signal: AbortSignal,
  ): AsyncGenerator<string, GenerateResult, undefined> {
    const vision = this.model.vision;
    if (vision === undefined) throw new EngineError('bad_request', 'This model does not take images.');
    const { prompt, maxNewTokens } = await picturePrompt(
      this.model.tokenizer,
      vision,
      this.options.vision ?? { videoTokens: DEFAULT_VIDEO_TOKENS },
      {
        messages,
        thinking: request.thinking === true,
        contextLength: this.info().contextLength,
        maxNewTokens: request.maxTokens ?? this.options.defaults.maxNewTokens,
      },
    );
    return yield* this.run(prompt.ids, maxNewTokens, request, signal, undefined, prompt);
  }

  private async *run(
    promptIds: number[],
    maxNewTokens: number,
    request: Omit<GenerateRequest, 'messages'>,
    signal: AbortSignal,
    failure: unknown,
    vision?: VisionPrompt,
  ): AsyncGenerator<string, GenerateResult, undefined> {
    if (failure !== undefined) throw failure;
    if (this.closed) throw new EngineError('unreachable', 'The engine is closed.');
    this.checkIds(promptIds);
    const params = decodeParams(
      request,
      maxNewTokens,
      this.model.eosIds,
      this.options.defaults,
      this.model.layout.generation,
    );
    const outcome = yield* this.decode(promptIds, params, request, signal, vision);
    return {
      text: outcome.text,
      tokenIds: outcome.tokens,
      promptTokenIds: promptIds,
      usage: { promptTokens: promptIds.length, completionTokens: outcome.tokens.length },
      finishReason: outcome.finishReason,
      model: this.options.name,
      timings: { ...outcome.timings, queuedMs: outcome.queuedMs },
    };
  }

  /** Decodes one prompt as a row of the scheduler; yields its chunks as the loop emits them. */
  private async *decode(
    promptIds: number[],
    params: DecodeParams,
    request: Omit<GenerateRequest, 'messages'>,
    signal: AbortSignal,
    vision?: VisionPrompt,
  ): AsyncGenerator<string, RowOutcome, undefined> {
    const { timeoutMs } = request;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      throw new EngineError('bad_request', `timeoutMs must be a number of 0 or more; got ${timeoutMs}.`);
    }
    const channel = new RowChannel();
    this.scheduler.submit({
      promptIds,
      params,
      user: request.user,
      deadline: timeoutMs === undefined ? undefined : this.scheduler.clock() + timeoutMs,
      signal,
      sink: channel,
      submittedAt: performance.now(),
      vision,
    });
    return yield* channel.drain();
  }
}
