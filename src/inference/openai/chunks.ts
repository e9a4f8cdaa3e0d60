import { isRecord } from '../../util/is-record.js';
import { EngineError } from '../errors.js';
import type { FinishReason, Usage } from '../types.js';

/** What one streamed `chat.completion.chunk` (or a whole non-streamed completion) carries. */
export interface ChunkInfo {
  content: string;
  finishReason?: FinishReason;
  usage?: Usage;
  model?: string;
}

/** OpenAI's finish reasons onto ours: only 'length' is special; tool_calls, content_filter… end as 'stop'. */
export function mapFinishReason(reason: string): FinishReason {
  return reason === 'length' ? 'length' : 'stop';
}

function parseUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const { prompt_tokens: prompt, completion_tokens: completion } = value;
  if (typeof prompt !== 'number' || typeof completion !== 'number') return undefined;
  return { promptTokens: prompt, completionTokens: completion };
}

function parseJson(data: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw new EngineError('protocol', `The inference server sent malformed JSON: ${data.slice(0, 120)}`, {
      cause: error,
    });
  }
  if (!isRecord(parsed)) {
    throw new EngineError('protocol', `The inference server sent a non-object chunk: ${data.slice(0, 120)}`);
  }
  if (parsed.error !== undefined && parsed.error !== null) {
    const { error } = parsed;
    const message = isRecord(error) && typeof error.message === 'string' ? error.message : String(error);
    throw new EngineError('upstream', `The inference server reported an error mid-answer: ${message}`);
  }
  return parsed;
}

/**
 * Parses one SSE `data` payload of a streamed chat completion (or, with `field` 'message', a whole
 * completion). Malformed JSON → EngineError('protocol'); an `{error}` payload → EngineError('upstream').
 */
export function parseChunk(data: string, field: 'delta' | 'message' = 'delta'): ChunkInfo {
  const chunk = parseJson(data);
  const info: ChunkInfo = { content: '' };
  if (typeof chunk.model === 'string' && chunk.model !== '') info.model = chunk.model;
  const usage = parseUsage(chunk.usage);
  if (usage !== undefined) info.usage = usage;
  const choice: unknown = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
  if (!isRecord(choice)) return info;
  const part = choice[field];
  if (isRecord(part) && typeof part.content === 'string') info.content = part.content;
  if (typeof choice.finish_reason === 'string') info.finishReason = mapFinishReason(choice.finish_reason);
  return info;
}
