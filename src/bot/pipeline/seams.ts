import type { Middleware } from './compose.js';
import type { PipelineMetrics } from './metrics.js';

const MEMBER_SCOPES = ['chat:ask', 'media:upload', 'media:read'];
const ADMIN_SCOPES = ['admin:scopes', 'admin:limits', 'admin:audit', 'admin:media'];

/**
 * Permissions seam (used when no permissions stage is given, e.g. in tests): the local terminal user is an admin and everyone else a member
 * with the default member scopes, and every message passes. Runtime wires the real stage
 * (src/bot/permissions/access-stage.ts).
 */
export function permissionsSeam(metrics: PipelineMetrics): Middleware {
  return async (ctx, next) => {
    const admin = ctx.message.trustedAdmin === true;
    ctx.role = admin ? 'admin' : 'member';
    ctx.scopes = new Set(admin ? [...MEMBER_SCOPES, ...ADMIN_SCOPES] : MEMBER_SCOPES);
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
