/**
 * Whether this process records traces. Off unless OTEL_* turned tracing on at start (or a test
 * installed its own provider): then the pipeline, the engine and the HTTP app add their spans.
 * When off, nothing of the SDK is loaded and the span code is not even wrapped around the work.
 */
let on = false;

export function tracingOn(): boolean {
  return on;
}

/** Called once a tracer provider is registered (startTracing, or a test's in-memory one). */
export function markTracingOn(value = true): void {
  on = value;
}
