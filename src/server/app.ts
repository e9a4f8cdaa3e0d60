import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import { tracingOn } from '../tracing/state.js';
import { refuseHugeBodies } from '../util/bounded-body.js';
import { DEFAULT_BODY_LIMIT, jsonBody } from './body.js';
import { errorHandler, notFound } from './errors.js';
import { probeRouter } from './probes.js';
import { DEFAULT_READINESS_TIMEOUT_MS, type ReadinessReport } from './readiness.js';
import { enterMount, leaveMount, requestId, requestTiming } from './request-context.js';
import { traceRequests } from './trace-requests.js';

/** A router mounted at `path` (e.g. /slack/events, /lark/events, /v1). */
export interface MountedRouter {
  path: string;
  router: Router | RequestHandler;
  /** Answers errors under `path` (a bad JSON body included) in the router's own format. */
  onError?: ErrorRequestHandler;
}

export interface HttpAppOptions {
  logger: Logger;
  metrics: Pick<Metrics, 'httpDuration' | 'render'>;
  /** Dependencies' state for GET /ready, usually `() => runReadiness({ kv, objects, engine })`. */
  readiness: () => Promise<ReadinessReport>;
  routers?: MountedRouter[];
  /** Largest JSON body accepted (default 1mb); bigger ones get a JSON 413. */
  bodyLimit?: string | number;
  /** Bound on the whole readiness callback; the default leaves room for runReadiness' own 2 s. */
  readinessTimeoutMs?: number;
}

/**
 * The HTTP surface: probes and metrics, the given routers, a JSON 404 and one
 * error handler. Listening and shutdown live in lifecycle.ts.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');

  app.use(requestId());
  if (tracingOn()) app.use(traceRequests());
  app.use(requestTiming(options.metrics));
  app.use(
    probeRouter({
      metrics: options.metrics,
      readiness: options.readiness,
      readinessTimeoutMs: options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS + 500,
    }),
  );
  app.use(refuseHugeBodies());
  app.use(jsonBody(options.bodyLimit ?? DEFAULT_BODY_LIMIT));
  for (const { path, router } of options.routers ?? []) {
    app.use(path, enterMount(path), router, leaveMount);
  }
  for (const { path, onError } of options.routers ?? []) {
    if (onError !== undefined) app.use(path, onError);
  }
  app.use(notFound);
  app.use(errorHandler(options.logger));
  return app;
}
