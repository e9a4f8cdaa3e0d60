import type { GenerateRequest, Generation, InferenceEngine } from '../types.js';
import { WrappedEngine } from '../wrapped-engine.js';

/** Whether an engine looks at images (EngineInfo.vision). */
export function sees(engine: Pick<InferenceEngine, 'info'>): boolean {
  return engine.info().vision === true;
}

/** The request without any images (the text of every message unchanged). */
export function withoutImages(request: GenerateRequest): GenerateRequest {
  if (!request.messages.some((m) => m.images !== undefined)) return request;
  return { ...request, messages: request.messages.map(({ role, content }) => ({ role, content })) };
}

/**
 * The one place images are kept from engines that do not see: every backend the factory builds is
 * wrapped in this, so a text-only engine (or a text-only member of a fallback chain) never receives
 * ChatMessage.images, whoever sent them.
 */
export class SightGate extends WrappedEngine {
  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    return this.inner.generate(sees(this.inner) ? request : withoutImages(request), signal);
  }
}

/** `engine` behind a SightGate (once). */
export function gateImages(engine: InferenceEngine): InferenceEngine {
  return engine instanceof SightGate ? engine : new SightGate(engine);
}
