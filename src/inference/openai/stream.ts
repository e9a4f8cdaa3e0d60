import { traceHeaders } from '../../tracing/spans.js';
import { EngineError } from '../errors.js';
import type { FinishReason, GenerateResult, Usage } from '../types.js';
import { type ChunkInfo, parseChunk } from './chunks.js';
import { Deadline } from './deadline.js';
import { type Endpoint, endpointUrl, requestHeaders } from './endpoint.js';
import { brokenStream, errorFromResponse, unreachable } from './http-errors.js';
import { parseSse } from './sse.js';

export interface StreamChatOptions {
  endpoint: Endpoint;
  body: Record<string, unknown>;
  model: string;
  /** Both the wait for response headers and the longest silence between chunks. */
  timeoutMs: number;
  signal: AbortSignal;
  /** Usage when the server reports none. */
  estimateUsage: (text: string) => Usage;
}

/** What a chunk-by-chunk answer has added up to so far. */
class Answer {
  text = '';
  finishReason: FinishReason = 'stop';
  usage: Usage | undefined;
  model: string;

  constructor(model: string) {
    this.model = model;
  }

  add(chunk: ChunkInfo): void {
    this.text += chunk.content;
    if (chunk.finishReason !== undefined) this.finishReason = chunk.finishReason;
    if (chunk.usage !== undefined) this.usage = chunk.usage;
    if (chunk.model !== undefined) this.model = chunk.model;
  }

  result(estimateUsage: (text: string) => Usage): GenerateResult {
    const { text, finishReason, model } = this;
    return { text, finishReason, model, usage: this.usage ?? estimateUsage(this.text) };
  }
}

/**
 * One streamed `POST {baseUrl}/chat/completions`: yields content deltas, returns the result.
 * Errors are EngineErrors, except after `signal` aborts (the caller then ignores them).
 */
export async function* streamChat(
  options: StreamChatOptions,
): AsyncGenerator<string, GenerateResult, undefined> {
  const { endpoint, signal, timeoutMs } = options;
  const deadline = new Deadline(timeoutMs);
  const failure = (error: unknown, started: boolean): unknown => {
    if (error instanceof EngineError || signal.aborted) return error;
    if (deadline.expired) {
      const what = started
        ? `sent nothing for ${timeoutMs} ms mid-answer`
        : `did not answer within ${timeoutMs} ms`;
      return new EngineError('timeout', `The inference server at ${endpoint.baseUrl} ${what}.`, {
        cause: error,
      });
    }
    return started ? brokenStream(error, endpoint) : unreachable(error, endpoint);
  };
  try {
    let response: Response;
    try {
      response = await endpoint.fetch(endpointUrl(endpoint, 'chat/completions'), {
        method: 'POST',
        // The W3C trace context: an inference worker's spans join the caller's trace.
        headers: {
          ...requestHeaders(endpoint, 'text/event-stream'),
          'content-type': 'application/json',
          ...traceHeaders(),
        },
        body: JSON.stringify(options.body),
        signal: AbortSignal.any([signal, deadline.signal]),
      });
    } catch (error) {
      throw failure(error, false);
    }
    if (!response.ok) throw await errorFromResponse(response, endpoint);
    deadline.restart();
    const answer = new Answer(options.model);
    try {
      if ((response.headers.get('content-type') ?? '').includes('application/json')) {
        // The server ignored `stream: true` and sent the whole completion at once.
        answer.add(parseChunk(await response.text(), 'message'));
        if (answer.text !== '') yield answer.text;
        return answer.result(options.estimateUsage);
      }
      if (response.body === null)
        throw new EngineError('protocol', `${endpoint.baseUrl} sent an empty body.`);
      for await (const event of parseSse(response.body)) {
        deadline.restart();
        if (event.data === '[DONE]') break;
        const chunk = parseChunk(event.data);
        answer.add(chunk);
        if (chunk.content !== '') yield chunk.content;
      }
    } catch (error) {
      throw failure(error, true);
    }
    return answer.result(options.estimateUsage);
  } finally {
    deadline.clear();
  }
}
