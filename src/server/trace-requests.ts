import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { contextFrom, tracer } from '../tracing/spans.js';
import { requestIdOf, routeLabel } from './request-context.js';

/** Probes and scrapes: frequent, and no one follows them. */
const UNTRACED = new Set(['/health', '/ready', '/metrics']);

/**
 * One server span per request (`POST /v1/chat/completions`), continuing the caller's trace when
 * the request carries a W3C `traceparent` (a gateway calling an inference worker does). The
 * handlers run inside it, and the response says its trace id in `x-trace-id`.
 */
export function traceRequests(): RequestHandler {
  return (req, res, next) => {
    if (UNTRACED.has(req.path)) {
      next();
      return;
    }
    const parent = contextFrom(req.headers);
    const span = tracer().startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': req.path,
          'teambot.request_id': requestIdOf(req),
        },
      },
      parent,
    );
    res.set('x-trace-id', span.spanContext().traceId);
    res.once('close', () => {
      const route = routeLabel(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
