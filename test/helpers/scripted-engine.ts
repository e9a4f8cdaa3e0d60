import { EngineError } from '../../src/inference/errors.js';
import { estimateMessageTokens } from '../../src/inference/estimate.js';
import { createGeneration } from '../../src/inference/generation.js';
import type {
  ChatMessage,
  EngineInfo,
  EngineStatus,
  GenerateRequest,
  GenerateResult,
  Generation,
  InferenceEngine,
} from '../../src/inference/types.js';

/** What one call to generate() does. */
export interface Step {
  /** Chunks to stream (default ['ok']). */
  chunks?: string[];
  /** Pause before each chunk. */
  delayMs?: number;
  /** Fail with this error after the chunks. */
  error?: EngineError;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * An in-process engine that follows a script, one step per generate() call (the last step repeats).
 * It records every request, and how many were aborted.
 */
export class ScriptedEngine implements InferenceEngine {
  readonly requests: GenerateRequest[] = [];
  aborted = 0;
  closed = false;

  constructor(
    readonly name: string,
    private readonly steps: Step[],
    private readonly model = `${name}-model`,
  ) {}

  get calls(): number {
    return this.requests.length;
  }

  info(): EngineInfo {
    return { name: this.name, model: this.model, contextLength: 4096 };
  }

  countTokens(messages: ChatMessage[]): number {
    return estimateMessageTokens(messages);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    const step = this.steps[Math.min(this.requests.length, this.steps.length - 1)] ?? {};
    this.requests.push(request);
    const result = (text: string, finishReason: GenerateResult['finishReason']): GenerateResult => ({
      text,
      finishReason,
      usage: { promptTokens: this.countTokens(request.messages), completionTokens: text.length },
      model: this.model,
    });
    const engine = this;
    return createGeneration(
      async function* (abort) {
        abort.addEventListener('abort', () => engine.aborted++);
        let text = '';
        for (const chunk of step.chunks ?? ['ok']) {
          if (step.delayMs !== undefined) await sleep(step.delayMs, abort);
          if (abort.aborted) return result(text, 'cancelled');
          text += chunk;
          yield chunk;
        }
        if (step.error !== undefined) throw step.error;
        return result(text, 'stop');
      },
      { signal, cancelled: (text) => result(text, 'cancelled') },
    );
  }

  async status(): Promise<EngineStatus> {
    return { ready: true, detail: `${this.name} is scripted` };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export const timeout = () => new EngineError('timeout', 'timed out');
export const upstream = () => new EngineError('upstream', 'answered 502', { status: 502 });
export const badRequest = () => new EngineError('bad_request', 'answered 400: bad', { status: 400 });
export const busy = (retryAfterMs = 3000) => new EngineError('busy', 'busy, try again', { retryAfterMs });

export async function collectText(generation: Generation): Promise<{ text: string; result: GenerateResult }> {
  let text = '';
  for await (const chunk of generation) text += chunk;
  return { text, result: await generation.result };
}
