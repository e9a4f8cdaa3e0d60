import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Metrics } from '../metrics/registry.js';

const requestIds = new WeakMap<IncomingMessage, string>();
const mounts = new WeakMap<IncomingMessage, string>();

const SAFE_ID = /^[\w.:-]{1,128}$/;

/** The id given to this request (from a sane `x-request-id` header, else a new UUID). */
export function requestIdOf(req: IncomingMessage): string {
  return requestIds.get(req) ?? 'unknown';
}

/** Gives each request an id, echoed in the `x-request-id` response header. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given !== undefined && SAFE_ID.test(given) ? given : randomUUID();
    requestIds.set(req, id);
    res.set('x-request-id', id);
    next();
  };
}

/** Marks requests that entered a mounted router, so its errors keep the mount in their route label. */
export function enterMount(path: string): RequestHandler {
  return (req, _res, next) => {
    mounts.set(req, path);
    next();
  };
}

/** Clears the mark when a mounted router did not handle the request. */
export const leaveMount: RequestHandler = (req, _res, next) => {
  mounts.delete(req);
  next();
};

/**
 * The route label: the matched route pattern (e.g. `/v1/tasks/:id`), the
 * mount path of a router that handled it without a route, or 'unmatched'.
 * Never the raw URL, so the label's cardinality stays bounded.
 */
export function routeLabel(req: Request): string {
  const route: unknown = req.route;
  const base = req.baseUrl !== '' ? req.baseUrl : (mounts.get(req) ?? '');
  if (typeof route === 'object' && route !== null && 'path' in route) {
    const path = `${base}${String(route.path)}`;
    return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  }
  return base !== '' ? base : 'unmatched';
}

/** Observes every request's duration in `teambot_http_request_duration_seconds`. */
export function requestTiming(metrics: Pick<Metrics, 'httpDuration'>): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // 499 (as nginx logs it): the client went away before the answer was complete.
      const status = res.writableFinished ? String(res.statusCode) : '499';
      metrics.httpDuration.observe({ method: req.method, route: routeLabel(req), status }, seconds);
    });
    next();
  };
}
