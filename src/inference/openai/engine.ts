import { errorMessage } from '../../util/error-message.js';
import { EngineError } from '../errors.js';
import { estimateMessageTokens, estimateTextTokens } from '../estimate.js';
import { createGeneration } from '../generation.js';
import type {
  ChatMessage,
  EngineInfo,
  EngineStatus,
  GenerateRequest,
  GenerateResult,
  Generation,
  InferenceEngine,
  Usage,
} from '../types.js';
import { toOpenAIMessages } from './content.js';
import { createEndpoint, type Endpoint } from './endpoint.js';
import { dataUrl, type ImageUrlOf } from './image-urls.js';
import { discoverModel, listModels } from './models.js';
import { chatCompletionBody } from './request.js';
import { streamChat } from './stream.js';

export interface OpenAICompatibleOptions {
  /** e.g. `http://host:8000/v1` (vLLM), `http://host:11434/v1` (Ollama); a trailing slash is fine. */
  baseUrl: string;
  apiKey?: string;
  /** When unset, the first model `GET {baseUrl}/models` lists is used (looked up once, then cached). */
  model?: string;
  /** Longest wait for the response headers, and longest silence between streamed chunks. */
  timeoutMs: number;
  contextLength: number;
  /** Timeout of status() and model discovery; default min(timeoutMs, 5000). */
  statusTimeoutMs?: number;
  fetch?: typeof fetch;
  /** The server's model looks at images (OPENAI_VISION); otherwise it never receives any. */
  vision?: boolean;
  /** How images are linked (OPENAI_IMAGE_TRANSPORT): `data:` URLs unless given presigned links. */
  imageUrl?: ImageUrlOf;
}

/** A remote engine for any server speaking OpenAI's chat-completions API (vLLM, Ollama, TGI, Moonshot, Gemini…). */
export class OpenAICompatibleEngine implements InferenceEngine {
  private readonly endpoint: Endpoint;
  private readonly statusTimeoutMs: number;
  private readonly model: string | undefined;
  private discovered: string | undefined;
  private discovery: Promise<string> | undefined;

  constructor(private readonly options: OpenAICompatibleOptions) {
    this.endpoint = createEndpoint(options.baseUrl, options.apiKey, options.fetch ?? globalThis.fetch);
    this.statusTimeoutMs = options.statusTimeoutMs ?? Math.min(options.timeoutMs, 5000);
    const model = options.model?.trim();
    this.model = model === '' ? undefined : model;
  }

  /** `model` is 'auto' until the first model the server lists has been looked up. */
  info(): EngineInfo {
    return {
      name: 'openai',
      model: this.knownModel() ?? 'auto',
      contextLength: this.options.contextLength,
      ...(this.options.vision === true ? { vision: true } : {}),
    };
  }

  /** An estimate (see estimate.ts): the server's tokenizer is not available here. */
  countTokens(messages: ChatMessage[]): number {
    return estimateMessageTokens(messages);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    const promptTokens = () => this.countTokens(request.messages);
    const estimateUsage = (text: string) => ({
      promptTokens: promptTokens(),
      completionTokens: estimateTextTokens(text),
    });
    const cancelled = (text: string): GenerateResult => ({
      text,
      finishReason: 'cancelled',
      usage: estimateUsage(text),
      model: this.info().model,
    });
    return createGeneration((abort) => this.run(request, abort, estimateUsage), { signal, cancelled });
  }

  private async *run(
    request: GenerateRequest,
    signal: AbortSignal,
    estimateUsage: (text: string) => Usage,
  ): AsyncGenerator<string, GenerateResult, undefined> {
    const model = await this.resolveModel();
    const body = chatCompletionBody(request, model, await this.messages(request));
    const { endpoint } = this;
    return yield* streamChat({
      endpoint,
      body,
      model,
      timeoutMs: this.options.timeoutMs,
      signal,
      estimateUsage,
    });
  }

  /** OpenAI messages with images as content parts, linked as configured; images stay out for a text-only model. */
  private async messages(request: GenerateRequest) {
    if (this.options.vision !== true || !request.messages.some((m) => (m.images?.length ?? 0) > 0))
      return undefined;
    try {
      return await toOpenAIMessages(request.messages, this.options.imageUrl ?? dataUrl);
    } catch (error) {
      throw new EngineError(
        'unreachable',
        `Could not link the images for the model: ${errorMessage(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  async status(): Promise<EngineStatus> {
    const where = `OpenAI-compatible server at ${this.endpoint.baseUrl}`;
    const configured = this.model;
    let models: string[];
    try {
      models = await listModels(this.endpoint, this.statusTimeoutMs);
    } catch (error) {
      const message = errorMessage(error);
      // Some servers have no /models; with a model configured, answering at all means it is up.
      if (configured !== undefined && error instanceof EngineError && error.status === 404) {
        return { ready: true, detail: `${where} is up (no model list); model ${configured}` };
      }
      return { ready: false, detail: `${where} is not ready: ${message}` };
    }
    if (configured === undefined) {
      const first = models[0];
      if (first === undefined) {
        return { ready: false, detail: `${where} lists no models; set OPENAI_MODEL` };
      }
      this.discovered ??= first;
      return { ready: true, detail: `${where} is up; model ${this.discovered} (first listed)` };
    }
    if (models.length > 0 && !models.includes(configured)) {
      return {
        ready: true,
        detail: `${where} is up but does not list model ${configured} (it lists ${models.slice(0, 5).join(', ')})`,
      };
    }
    return { ready: true, detail: `${where} is up; model ${configured}` };
  }

  async close(): Promise<void> {
    // Nothing to release: each generation owns (and ends) its own HTTP request.
  }

  private knownModel(): string | undefined {
    return this.model ?? this.discovered;
  }

  private async resolveModel(): Promise<string> {
    const known = this.knownModel();
    if (known !== undefined) return known;
    this.discovery ??= discoverModel(this.endpoint, this.statusTimeoutMs).then(
      (model) => {
        this.discovered = model;
        return model;
      },
      (error: unknown) => {
        this.discovery = undefined; // try again next time
        throw error;
      },
    );
    return this.discovery;
  }
}
