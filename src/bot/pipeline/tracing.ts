import { type Context, context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { failSpan, inSpan, tracer } from '../../tracing/spans.js';
import type { InboundMessage, Replier } from '../message.js';
import type { Middleware } from './compose.js';

/**
 * The chat turn's root span, `chat.turn`, from the moment the adapter received the message: a new
 * trace per turn (the platform's HTTP delivery, acked long before, is a trace of its own). `fn`
 * runs inside it and learns the trace id (for log lines and error ids).
 */
export function inTurnSpan(message: InboundMessage, fn: (traceId: string) => Promise<void>): Promise<void> {
  return inSpan(
    'chat.turn',
    {
      'teambot.platform': message.platform,
      'teambot.chat.kind': message.chat.kind,
      'teambot.message.id': message.id,
      'teambot.command': message.command?.name ?? '',
      'teambot.attachments': message.attachments.length,
    },
    (span) => fn(span.spanContext().traceId),
    { kind: SpanKind.CONSUMER, root: true, startTime: message.receivedAt, parent: ROOT_CONTEXT },
  );
}

/**
 * A stage's own span, `pipeline.<name>`: from its start until it hands over to the next stage
 * (or ends, when it denies or is the last). The next stage runs in the turn's context, so the
 * stages are siblings in the order they ran.
 */
export function tracedStage(name: string, stage: Middleware): Middleware {
  return (ctx, next) => {
    const turn: Context = context.active();
    const span = tracer().startSpan(`pipeline.${name}`);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      span.end();
    };
    const handOver = () => {
      end();
      return context.with(turn, next);
    };
    return context
      .with(trace.setSpan(turn, span), () => stage(ctx, handOver))
      .catch((error: unknown) => {
        if (!ended) failSpan(span, error);
        throw error;
      })
      .finally(end);
  };
}

/** The reply's writes as spans: `reply.post`, `reply.stream` (until the last chunk), `reply.notice`, `reply.upload`. */
export function tracedReplier(reply: Replier): Replier {
  const traced: Replier = {
    post: (text) => inSpan('reply.post', { 'teambot.reply.chars': text.length }, () => reply.post(text)),
    stream: (chunks, options) =>
      inSpan('reply.stream', {}, async (span) => {
        const text = await reply.stream(chunks, options);
        span.setAttribute('teambot.reply.chars', text.length);
        return text;
      }),
    notice: (text) => inSpan('reply.notice', {}, () => reply.notice(text)),
  };
  const upload = reply.upload?.bind(reply);
  if (upload !== undefined) traced.upload = (object) => inSpan('reply.upload', {}, () => upload(object));
  // Status lines and the handle (the durable turn queue keeps it) pass through as they are.
  const status = reply.status?.bind(reply);
  if (status !== undefined) traced.status = status;
  const clearStatus = reply.clearStatus?.bind(reply);
  if (clearStatus !== undefined) traced.clearStatus = clearStatus;
  return reply.handle === undefined ? traced : { ...traced, handle: reply.handle };
}
