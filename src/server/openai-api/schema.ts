import { z } from 'zod';
import type { ChatMessage, GenerateRequest, Role } from '../../inference/types.js';
import { type ApiFailure, apiFailure } from './errors.js';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
/** `url`: a `data:image/…;base64,…` URL or an http(s) URL (fetched through the SSRF guard). `detail` is accepted and ignored. */
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.string().optional() }),
});
const contentPart = z.discriminatedUnion('type', [textPart, imagePart], {
  error: 'expected content parts of type text or image_url',
});

const message = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant'], {
    error: 'expected role system, developer, user or assistant',
  }),
  content: z.union([z.string(), z.array(contentPart)], {
    error: 'expected content as a string or an array of text and image_url parts',
  }),
  name: z.string().optional(),
});

/** The body of `POST /v1/chat/completions` (and `POST /v1/tasks`). Unknown fields are ignored. */
export const chatRequestSchema = z.object({
  model: z.string().optional(),
  messages: z.array(message).min(1, { error: 'expected at least one message' }),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().max(256).optional(),
  n: z.literal(1, { error: 'only n=1 is supported' }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;

export interface RequestDefaults {
  maxTokens: number;
  temperature: number;
}

/** Validates a body; a bad one becomes a 400 naming the field (OpenAI's `param`). */
export function parseChatRequest(
  body: unknown,
): { ok: true; value: ChatRequest } | { ok: false; failure: ApiFailure } {
  const parsed = chatRequestSchema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const param = issue?.path.join('.') ?? '';
  const message =
    issue === undefined ? 'Invalid request body.' : `Invalid ${param || 'body'}: ${issue.message}`;
  return {
    ok: false,
    failure: apiFailure(400, message, {
      param: param || undefined,
      code: 'invalid_request',
      reason: 'invalid_request',
    }),
  };
}

function contentOf(content: ChatRequest['messages'][number]['content']): string {
  return typeof content === 'string'
    ? content
    : content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Where an image part sits in the body (for OpenAI's `param`) and its URL. */
export interface ImagePartRef {
  message: number;
  part: number;
  url: string;
}

/** Every image_url part of a validated body, in order. */
export function imagePartsOf(body: ChatRequest): ImagePartRef[] {
  return body.messages.flatMap((m, message) =>
    typeof m.content === 'string'
      ? []
      : m.content.flatMap((p, part) =>
          p.type === 'image_url' ? [{ message, part, url: p.image_url.url }] : [],
        ),
  );
}

/** The engine request for a validated body; unset parameters take the server's defaults. */
export function toGenerateRequest(body: ChatRequest, defaults: RequestDefaults): GenerateRequest {
  const messages: ChatMessage[] = body.messages.map((m) => ({
    role: (m.role === 'developer' ? 'system' : m.role) as Role,
    content: contentOf(m.content),
  }));
  const stop = body.stop == null ? undefined : typeof body.stop === 'string' ? [body.stop] : body.stop;
  const request: GenerateRequest = {
    messages,
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? defaults.maxTokens,
    temperature: body.temperature ?? defaults.temperature,
  };
  if (body.top_p != null) request.topP = body.top_p;
  if (stop !== undefined && stop.length > 0) request.stop = stop;
  if (body.seed != null) request.seed = body.seed;
  if (body.user !== undefined) request.user = body.user;
  return request;
}
