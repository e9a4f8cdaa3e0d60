import type {
  ChatMessage,
  EngineInfo,
  EngineLoad,
  EngineStatus,
  GenerateRequest,
  Generation,
  InferenceEngine,
} from './types.js';

/**
 * An engine that adds one behaviour around another (cache, metrics, a notice): everything but
 * `generate` goes to the inner engine unless a subclass says otherwise.
 */
export abstract class WrappedEngine implements InferenceEngine {
  constructor(readonly inner: InferenceEngine) {}

  abstract generate(request: GenerateRequest, signal?: AbortSignal): Generation;

  info(): EngineInfo {
    return this.inner.info();
  }

  countTokens(messages: ChatMessage[]): number {
    return this.inner.countTokens(messages);
  }

  status(): Promise<EngineStatus> {
    return this.inner.status();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  load(): EngineLoad | undefined {
    return this.inner.load?.();
  }
}
