import type { ServerResponse } from 'node:http';

/** How the fake answers `POST /v1/chat/completions` (and, for `error`, `GET /v1/models` too). */
export interface FakeBehavior {
  /** The answer: fixed text, or built from the last user message. Default: `Echo: <last user message>`. */
  reply?: string | ((lastUserMessage: string) => string);
  /** Characters (code points) per streamed chunk. Default 4. */
  chunkSize?: number;
  /** Pause before answering a chat request at all (its answer or its error): a slow prefill or queue. */
  firstDelayMs?: number;
  /** Pause before each chunk, in ms. Default 5 (so streaming is observable); raise it for slow chunks. */
  delayMs?: number;
  /** The finish_reason sent with the last chunk. Default 'stop'. */
  finishReason?: string;
  /** Send the usage chunk (`stream_options.include_usage`). Default true. */
  usage?: boolean;
  /** Answer with this HTTP status and an OpenAI error body `{error:{message,type}}` instead. */
  error?: { status: number; message: string; type?: string };
  /** Never answer (no headers). */
  hang?: boolean;
  /** Send headers and this many chunks, then stall without ending the stream. */
  stallAfterChunks?: number;
  /** Send this many good chunks, then one whose data is not JSON. */
  malformedAfterChunks?: number;
  /** What `GET /v1/models` lists. Default the `models` option. */
  models?: string[];
}

interface ChatBody {
  model?: unknown;
  stream?: unknown;
  messages?: Array<{ role?: unknown; content?: unknown }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function splitChunks(text: string, size: number): string[] {
  const chars = Array.from(text);
  const chunks: string[] = [];
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  return chunks;
}

const usageOf = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Answers one chat-completions request as `behavior` says, streaming when the request asks to. */
export async function answerChat(
  res: ServerResponse,
  rawBody: unknown,
  behavior: FakeBehavior,
): Promise<void> {
  if (behavior.hang === true) return;
  const body = (typeof rawBody === 'object' && rawBody !== null ? rawBody : {}) as ChatBody;
  const model = typeof body.model === 'string' ? body.model : 'fake-model';
  const messages = body.messages ?? [];
  const question = messages.findLast((m) => m.role === 'user')?.content;
  const reply = behavior.reply ?? ((q: string) => `Echo: ${q}`);
  const text = typeof reply === 'string' ? reply : reply(typeof question === 'string' ? question : '');
  const parts = splitChunks(text, behavior.chunkSize ?? 4);
  const usage = usageOf(messages.length * 4 + String(question ?? '').split(/\s+/).length, parts.length);
  const base = { id: 'chatcmpl-fake', created: 0, model };
  if (body.stream !== true) {
    const choice = { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' };
    sendJson(res, 200, { ...base, object: 'chat.completion', choices: [choice], usage });
    return;
  }
  const send = (payload: object) => res.write(`data: ${JSON.stringify({ ...base, ...payload })}\n\n`);
  const chunk = (delta: object, finish: string | null) =>
    send({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  chunk({ role: 'assistant', content: '' }, null);
  for (const [i, part] of parts.entries()) {
    if (i === behavior.stallAfterChunks) return; // keep the connection open, send nothing more
    if (i === behavior.malformedAfterChunks) {
      res.end('data: {"choices": [ not json\n\n');
      return;
    }
    await sleep(behavior.delayMs ?? 5);
    if (res.destroyed) return;
    chunk({ content: part }, null);
  }
  if (behavior.stallAfterChunks !== undefined && behavior.stallAfterChunks >= parts.length) return;
  chunk({}, behavior.finishReason ?? 'stop');
  if (behavior.usage ?? true) send({ object: 'chat.completion.chunk', choices: [], usage });
  res.end('data: [DONE]\n\n');
}
