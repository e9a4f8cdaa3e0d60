import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { errorMessage } from '../util/error-message.js';

/** teambot's tracer (a no-op until a provider is registered). */
export const tracer = () => trace.getTracer('teambot');

/** Marks `span` failed with `error` (its message and, for coded errors, the code). */
export function failSpan(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') span.setAttribute('teambot.error.code', code);
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: errorMessage(error),
  });
}

/** Runs `fn` in a new active span that ends when `fn` settles (failed when it throws). */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions & { parent?: Context } = {},
): Promise<T> {
  const { parent, ...spanOptions } = options;
  return tracer().startActiveSpan(
    name,
    { ...spanOptions, attributes },
    parent ?? context.active(),
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** The active trace's id (32 hex digits), when a recording span is active. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  const spanContext = span?.spanContext();
  return spanContext !== undefined && isSpanContextValid(spanContext) && span?.isRecording() === true
    ? spanContext.traceId
    : undefined;
}

/** The W3C headers (`traceparent`, `tracestate`) that carry the active trace elsewhere ({} when off). */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The context a `traceparent` (and `tracestate`) names, for spans made on its behalf. */
export function contextFrom(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** `trace_id` and `span_id` of the active span for log lines ({} when none is recording). */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Marks the active span with an error the user was told about (failed unless it was expected). */
export function noteError(code: string, errorId: string, failed: boolean): void {
  const span = trace.getActiveSpan();
  if (span === undefined) return;
  span.setAttributes({ 'teambot.error.code': code, 'teambot.error.id': errorId });
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}
