import { context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { markTracingOn } from '../../src/tracing/state.js';

export interface CapturedTracing {
  spans(): ReadableSpan[];
  /** The spans named `name` (in the order they ended). */
  named(name: string): ReadableSpan[];
  close(): Promise<void>;
}

/** Registers the Node SDK with an in-memory exporter (every span, at once) and turns tracing on. */
export function captureTracing(): CapturedTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  markTracingOn();
  return {
    spans: () => exporter.getFinishedSpans(),
    named: (name) => exporter.getFinishedSpans().filter((s) => s.name === name),
    async close() {
      markTracingOn(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** A span's start in milliseconds since the epoch. */
export const startMs = (span: ReadableSpan) => span.startTime[0] * 1000 + span.startTime[1] / 1e6;
export const endMs = (span: ReadableSpan) => span.endTime[0] * 1000 + span.endTime[1] / 1e6;
