/** The seam between the bot and whatever generates text. */
export type Role = 'system' | 'user' | 'assistant';

/**
 * An image the model should look at: a picture, or one keyframe of a video (then `videoTimeMs` and
 * `videoId` are set; frames of one video share the id and come in time order). The bytes are the
 * media service's sanitized copy (re-encoded, metadata stripped).
 */
export interface ImageInput {
  data: Uint8Array;
  mimeType: string;
  /** Keyframes only: the frame's time in its video, in milliseconds. */
  videoTimeMs?: number;
  /** Keyframes only: which video this frame belongs to (same id for all its frames). */
  videoId?: string;
  /** Where these bytes are stored in the object store, if they are (a remote engine may link it instead). */
  objectKey?: string;
}

export interface ChatMessage {
  role: Role;
  content: string;
  /**
   * Images shown with this (user) message, before its text. Engines that see (EngineInfo.vision)
   * give them to the model; others never receive them (the bot sends OCR text instead).
   */
  images?: ImageInput[];
}

export interface GenerateRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  /** Penalizes tokens already in the prompt or answer (1 = off; Hugging Face semantics). */
  repetitionPenalty?: number;
  /** An opaque end-user id, for upstream abuse tracking and fairness. */
  user?: string;
  /** Deadline in ms from the call: the local engine fails the request with a 'timeout' EngineError after it. */
  timeoutMs?: number;
  /**
   * Let a reasoning model think first (the chat template's `enable_thinking`; Qwen3 / Qwen3.5).
   * Off unless true. The thinking arrives as `<think> … </think>` text before the answer.
   */
  thinking?: boolean;
  /**
   * The caller can show an answer that starts over: it takes RESTART_CHUNK (chat messages are
   * rewritten in place). Without it, an answer cut midway by a dying worker fails as 'restarted'.
   */
  restartable?: boolean;
  /**
   * The backend of an engine chain to try first (a channel's setting, ENGINE_CHAIN names such as
   * `local` or `remote`); the others stay as fallbacks. Engines that are one backend ignore it.
   */
  backend?: string;
}

export type FinishReason = 'stop' | 'length' | 'cancelled';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface GenerateResult {
  text: string;
  /** Token ids when the engine knows them (the local engine does; remote ones may not). */
  tokenIds?: number[];
  usage: Usage;
  finishReason: FinishReason;
  model: string;
  /** The prompt's token ids, when the engine tokenized it itself. */
  promptTokenIds?: number[];
  timings?: GenerationTimings;
  /** Replayed from the response cache: nothing was generated. */
  cached?: boolean;
}

/** Where a local generation's time went (milliseconds). */
export interface GenerationTimings {
  promptTokens: number;
  /** From start until the prompt's logits were ready. */
  prefillMs: number;
  /** From start until the first new token was chosen. */
  firstTokenMs: number;
  /** From the end of prefill to the end: decode steps, sampling and detokenizing. */
  decodeMs: number;
  /** Of decodeMs, the time spent inside session.run. */
  decodeRunMs: number;
  /** Forward passes after prefill. */
  decodeSteps: number;
  /** Rows in this generation's decode steps: the mean and the most (continuous batching). */
  batchRowsMean?: number;
  batchRowsMax?: number;
  totalMs: number;
  /** Time waiting for the engine before this generation started. */
  queuedMs?: number;
}

/**
 * One generation: iterate it for text chunks as they arrive; `result` resolves
 * once it ends (and rejects with the same error the iteration throws).
 */
export interface Generation extends AsyncIterable<string> {
  readonly result: Promise<GenerateResult>;
}

export interface EngineInfo {
  name: string;
  model: string;
  /** Prompt plus answer must fit in this many tokens. */
  contextLength: number;
  /** The model looks at ChatMessage.images itself (a vision-language model, local or remote). */
  vision?: boolean;
}

export interface EngineStatus {
  ready: boolean;
  detail: string;
}

/** How loaded an engine is: what gateways compare to pick an inference worker. */
export interface EngineLoad {
  /** Rows generating now (prefilling newcomers included). */
  running: number;
  /** Requests waiting for a row. */
  waiting: number;
  /** Prompt plus answer budget of the running rows, in tokens. */
  tokensInFlight: number;
  /** Rows one decode step takes at most. */
  capacity: number;
}

/**
 * A chunk that voids the text streamed before it: the answer starts over (a gateway moved it to
 * another inference worker after the first one died). Sent only to requests with `restartable`.
 */
export const RESTART_CHUNK = '\u0000teambot:restart\u0000';

export interface InferenceEngine {
  info(): EngineInfo;
  /** Token count of a message list (exact where the engine has the tokenizer, else an estimate). */
  countTokens(messages: ChatMessage[]): number;
  generate(request: GenerateRequest, signal?: AbortSignal): Generation;
  status(): Promise<EngineStatus>;
  close(): Promise<void>;
  /** Rows, queue and tokens in flight, where the engine knows them (local engines, worker pools). */
  load?(): EngineLoad | undefined;
}
