import type { EngineStatus, GenerateRequest, GenerateResult, Generation, InferenceEngine } from './types.js';
import { WrappedEngine } from './wrapped-engine.js';

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
export class NoticeEngine extends WrappedEngine {
  private told = false;

  constructor(
    inner: InferenceEngine,
    private readonly notice: string,
  ) {
    super(inner);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    const generation = this.inner.generate(request, signal);
    if (this.told) return generation;
    this.told = true;
    return prepend(`${this.notice}\n\n`, generation);
  }

  override async status(): Promise<EngineStatus> {
    const status = await this.inner.status();
    return { ...status, detail: `${this.notice} ${status.detail}` };
  }
}
