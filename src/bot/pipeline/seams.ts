import type { Middleware } from './compose.js';
import type { PipelineMetrics } from './metrics.js';

/**
 * Permissions seam: until permissions.json is enforced, the local terminal user is an
 * admin and everyone else a member, and every message passes.
 */
export function permissionsSeam(metrics: PipelineMetrics): Middleware {
  return async (ctx, next) => {
    ctx.role = ctx.message.trustedAdmin === true ? 'admin' : 'member';
    metrics.stage('permissions', 'passed');
    return next();
  };
}

/** Rate-limit seam: every message passes until per-user limits arrive. */
export function rateLimitSeam(metrics: PipelineMetrics): Middleware {
  return async (_ctx, next) => {
    metrics.stage('ratelimit', 'passed');
    return next();
  };
}
