import { EngineError } from './errors.js';
import { estimateMessageTokens } from './estimate.js';
import { failedGeneration } from './generation.js';
import type { ChatMessage, EngineInfo, EngineStatus, Generation, InferenceEngine } from './types.js';

const SET_OPENAI =
  'Set OPENAI_BASE_URL (and OPENAI_MODEL, OPENAI_API_KEY if your server needs them) to use an ' +
  'OpenAI-compatible server such as vLLM, Ollama or TGI';

/** What to set to get an engine; printed by the CLI at start-up and told to users who ask. */
export function unconfiguredMessage(): string {
  return (
    'No inference engine is configured: the local engine is off (MODEL=none). Set MODEL to a Hugging Face ' +
    `model id or a model directory, or ${SET_OPENAI[0]?.toLowerCase()}${SET_OPENAI.slice(1)}.`
  );
}

/** The engine when none is configured: not ready, and every generation fails saying what to set. */
export class UnconfiguredEngine implements InferenceEngine {
  private readonly message: string;

  constructor(private readonly options: { contextLength?: number } = {}) {
    this.message = unconfiguredMessage();
  }

  info(): EngineInfo {
    return { name: 'unconfigured', model: 'none', contextLength: this.options.contextLength ?? 8192 };
  }

  countTokens(messages: ChatMessage[]): number {
    return estimateMessageTokens(messages);
  }

  generate(): Generation {
    return failedGeneration(new EngineError('not_configured', this.message));
  }

  async status(): Promise<EngineStatus> {
    return { ready: false, detail: this.message };
  }

  async close(): Promise<void> {}
}
