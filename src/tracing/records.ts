import type { Attributes } from '@opentelemetry/api';
import { contextFrom, tracer } from './spans.js';

/**
 * A finished span measured where no tracer runs (the engine thread): its name, its times in
 * milliseconds since the epoch, and its attributes. The process' tracer records it later.
 */
export interface SpanRecord {
  name: string;
  startMs: number;
  endMs: number;
  attributes: Attributes;
}

/** Records `spans` as children of the span `traceparent` names (one trace across the thread). */
export function recordSpans(traceparent: string, spans: readonly SpanRecord[]): void {
  const parent = contextFrom({ traceparent });
  for (const record of spans) {
    tracer()
      .startSpan(record.name, { startTime: record.startMs, attributes: record.attributes }, parent)
      .end(record.endMs);
  }
}
