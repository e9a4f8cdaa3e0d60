import type {
  ChatMessage,
  EngineInfo,
  EngineStatus,
  GenerateRequest,
  GenerateResult,
  Generation,
  InferenceEngine,
} from './types.js';

function prepend(notice: string, generation: Generation): Generation {
  const result: Promise<GenerateResult> = generation.result.then((r) => ({ ...r, text: notice + r.text }));
  result.catch(() => {});
  return {
    result,
    async *[Symbol.asyncIterator]() {
      yield notice;
      yield* generation;
    },
  };
}

/**
 * Wraps an engine whose answers need a warning (the generated demo model): the first reply
 * opens with `notice`, and the status carries it, so nobody mistakes its output for a real answer.
 */
export class NoticeEngine implements InferenceEngine {
  private told = false;

  constructor(
    readonly inner: InferenceEngine,
    private readonly notice: string,
  ) {}

  info(): EngineInfo {
    return this.inner.info();
  }

  countTokens(messages: ChatMessage[]): number {
    return this.inner.countTokens(messages);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    const generation = this.inner.generate(request, signal);
    if (this.told) return generation;
    this.told = true;
    return prepend(`${this.notice}\n\n`, generation);
  }

  async status(): Promise<EngineStatus> {
    const status = await this.inner.status();
    return { ...status, detail: `${this.notice} ${status.detail}` };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
