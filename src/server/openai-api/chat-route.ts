import type { Request, RequestHandler, Response } from 'express';
import type { GenerateRequest, GenerateResult, Generation, InferenceEngine } from '../../inference/types.js';
import type { Logger } from '../../log/logger.js';
import { requestBuilder } from './build-request.js';
import {
  chunkBody,
  completionBody,
  completionId,
  finishReasonOf,
  nowSeconds,
  usageOf,
} from './completion.js';
import { type ApiFailure, failureFor, sendFailure } from './errors.js';
import type { ImageLoading } from './images.js';
import { parseChatRequest, type RequestDefaults } from './schema.js';

export interface ChatRouteOptions {
  engine: InferenceEngine;
  defaults: RequestDefaults;
  /** How image_url parts are loaded; unset: refused with a 400. */
  images?: ImageLoading;
  onReject: (failure: ApiFailure) => void;
  logger?: Logger;
}

/** An AbortSignal that aborts when the client goes away before the answer is complete. */
export function disconnectSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client disconnected'));
  });
  return controller.signal;
}

/** Reads a whole generation (iterating it, so streaming metrics see every chunk). */
export async function collect(generation: Generation): Promise<GenerateResult> {
  for await (const _ of generation) {
    // the text is in the result
  }
  return generation.result;
}

const writeEvent = (res: Response, data: unknown) =>
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

async function stream(
  res: Response,
  generation: Generation,
  model: string,
  includeUsage: boolean,
  options: ChatRouteOptions,
): Promise<void> {
  const chunks = generation[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    first = await chunks.next(); // before the headers, so an early failure keeps its status code
  } catch (error) {
    const failure = failureFor(error);
    options.onReject(failure);
    return sendFailure(res, failure);
  }
  if (res.destroyed) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const base = { id: completionId(), created: nowSeconds(), model };
  writeEvent(res, chunkBody(base, { role: 'assistant', content: '' }, null));
  try {
    for (let step = first; step.done !== true; step = await chunks.next()) {
      if (res.destroyed) break;
      writeEvent(res, chunkBody(base, { content: step.value }, null));
    }
    const result = await generation.result;
    if (res.destroyed) return;
    writeEvent(res, chunkBody(base, {}, finishReasonOf(result.finishReason)));
    if (includeUsage)
      writeEvent(res, {
        ...base,
        object: 'chat.completion.chunk',
        choices: [],
        usage: usageOf(result.usage),
      });
  } catch (error) {
    // The status is already out: OpenAI's servers report a late failure as an error event.
    const failure = failureFor(error);
    options.onReject(failure);
    options.logger?.warn({ err: error }, 'generation failed mid-stream');
    if (!res.destroyed) writeEvent(res, failure.body);
  }
  if (!res.destroyed) {
    writeEvent(res, '[DONE]');
    res.end();
  }
}

async function whole(res: Response, generation: Generation, options: ChatRouteOptions): Promise<void> {
  let result: GenerateResult;
  try {
    result = await collect(generation);
  } catch (error) {
    const failure = failureFor(error);
    options.onReject(failure);
    return sendFailure(res, failure);
  }
  if (res.destroyed) return;
  res.json(completionBody(completionId(), nowSeconds(), result));
}

/** `POST /v1/chat/completions`: validated, then streamed over SSE or answered whole. */
export function chatCompletionsRoute(options: ChatRouteOptions): RequestHandler {
  const build = requestBuilder(options);
  return async (req: Request, res: Response) => {
    const parsed = parseChatRequest(req.body);
    if (!parsed.ok) {
      options.onReject(parsed.failure);
      return sendFailure(res, parsed.failure);
    }
    const signal = disconnectSignal(res);
    const built = await build(parsed.value, signal);
    if (!built.ok) {
      options.onReject(built.failure);
      return sendFailure(res, built.failure);
    }
    const request: GenerateRequest = built.request;
    const generation = options.engine.generate(request, signal);
    if (parsed.value.stream === true) {
      const includeUsage = parsed.value.stream_options?.include_usage === true;
      await stream(res, generation, options.engine.info().model, includeUsage, options);
    } else {
      await whole(res, generation, options);
    }
  };
}
