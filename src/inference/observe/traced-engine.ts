import { context, SpanKind, trace } from '@opentelemetry/api';
import { failSpan, tracer } from '../../tracing/spans.js';
import type { GenerateRequest, Generation } from '../types.js';
import { WrappedEngine } from '../wrapped-engine.js';

/**
 * One `engine.generate` span per generation, a child of the caller's span (the chat turn, the API
 * request). The inner engine starts its work inside the span's context, so the engine thread's
 * phases and an inference worker's spans (through `traceparent`) become its children. Attributes:
 * engine, model, max tokens; at the end prompt and completion tokens, finish reason, cache hit.
 */
export class TracedEngine extends WrappedEngine {
  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    const info = this.inner.info();
    const span = tracer().startSpan('engine.generate', {
      kind: SpanKind.CLIENT,
      attributes: {
        'teambot.engine': info.name,
        'gen_ai.request.model': info.model,
        'gen_ai.request.max_tokens': request.maxTokens ?? 0,
      },
    });
    const generation = context.with(trace.setSpan(context.active(), span), () =>
      this.inner.generate(request, signal),
    );
    generation.result.then(
      (result) => {
        span.setAttributes({
          'gen_ai.usage.input_tokens': result.usage.promptTokens,
          'gen_ai.usage.output_tokens': result.usage.completionTokens,
          'gen_ai.response.finish_reasons': [result.finishReason],
          'teambot.cached': result.cached === true,
        });
        span.end();
      },
      (error: unknown) => {
        failSpan(span, error);
        span.end();
      },
    );
    return generation;
  }
}
