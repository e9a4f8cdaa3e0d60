import type { GenerateRequest } from '../types.js';
import type { OpenAIMessage } from './content.js';

/**
 * The JSON body of a streaming `POST /chat/completions`; unset options are left out. `messages` are
 * the request's as OpenAI messages (content parts where there are images; see content.ts).
 */
export function chatCompletionBody(
  request: GenerateRequest,
  model: string,
  messages: OpenAIMessage[] = request.messages.map(({ role, content }) => ({ role, content })),
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  const optional: Record<string, unknown> = {
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    top_k: request.topK,
    stop: request.stop !== undefined && request.stop.length > 0 ? request.stop : undefined,
    seed: request.seed,
    user: request.user,
  };
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) body[name] = value;
  }
  return body;
}
