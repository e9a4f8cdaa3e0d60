import { randomUUID } from 'node:crypto';
import { accessOf } from '../permissions/access-stage.js';
import type { Middleware } from '../pipeline/compose.js';
import type { MessageContext } from '../pipeline/context.js';
import type { PipelineMetrics } from '../pipeline/metrics.js';
import { refuse } from '../pipeline/refuse.js';
import { limitedNotice } from './messages.js';
import { planLimits } from './plan.js';
import { type LimiterStore, LimiterUnavailableError } from './types.js';
import { budgetCharger, setUsageCharger } from './usage.js';

export type FailMode = 'open' | 'closed';

export interface RateLimitStageOptions {
  store: LimiterStore;
  metrics: PipelineMetrics;
  /** What happens when the store cannot decide (RATE_LIMIT_FAIL_MODE). */
  failMode: FailMode;
  /** Counts decisions the store could not make, by fail mode (teambot_ratelimit_unavailable_total). */
  onUnavailable?: (mode: FailMode) => void;
  /** Lifetime of an in-flight lease nobody released (a crashed replica). Default 10 minutes. */
  leaseTtlMs?: number;
  /** Clock override for the store (tests). */
  now?: () => number;
}

/** Commands that run the model; other commands (help, whoami, limits, admin…) are not limited. */
const LIMITED_COMMANDS = new Set(['ask']);

function isLimited(ctx: MessageContext): boolean {
  const command = ctx.message.command;
  return command === undefined || LIMITED_COMMANDS.has(command.name);
}

/**
 * Per-user windows, per-chat windows, the daily token budget and generations in flight, in one
 * atomic decision; a denied message consumes nothing and its sender is told when to try again.
 */
export function rateLimitStage(options: RateLimitStageOptions): Middleware {
  const { store, metrics } = options;
  const leaseTtlMs = options.leaseTtlMs ?? 600_000;
  return async (ctx, next) => {
    const access = accessOf(ctx);
    if (access === undefined || ctx.message.trustedAdmin === true || !isLimited(ctx)) {
      metrics.stage('ratelimit', 'passed');
      return next();
    }
    const plan = planLimits(ctx.message, access, { id: randomUUID(), ttlMs: leaseTtlMs });
    if (plan.request.windows.length === 0 && plan.request.lease === undefined) {
      metrics.stage('ratelimit', 'passed');
      return next();
    }
    const now = options.now?.();
    let decision: Awaited<ReturnType<LimiterStore['decide']>>;
    try {
      decision = await store.decide({ ...plan.request, now });
    } catch (error) {
      if (!(error instanceof LimiterUnavailableError)) throw error;
      options.onUnavailable?.(options.failMode);
      metrics.stage('ratelimit', `unavailable_${options.failMode}`);
      ctx.log.warn({ err: error, failMode: options.failMode }, 'rate limiter unavailable');
      if (options.failMode === 'open') return next();
      await refuse(ctx, limitedNotice(ctx.message, 'unavailable', 60_000));
      return;
    }
    if (!decision.allowed) {
      const reason =
        decision.deniedBy === -1 ? 'concurrent' : (plan.reasons[decision.deniedBy ?? 0] ?? 'requests');
      metrics.stage('ratelimit', `limited_${reason}`);
      ctx.log.info({ reason, retryAfterMs: decision.retryAfterMs }, 'rate limited');
      await refuse(ctx, limitedNotice(ctx.message, reason, decision.retryAfterMs));
      return;
    }
    metrics.stage('ratelimit', 'passed');
    const tokens = plan.tokens;
    if (tokens !== undefined) {
      ctx.usageBudget = tokens;
      setUsageCharger(ctx, budgetCharger(store, tokens, options.now));
    }
    const lease = plan.request.lease;
    try {
      await next();
    } finally {
      if (lease !== undefined) {
        await store.release(lease).catch((error: unknown) => {
          ctx.log.warn({ err: error }, 'could not release the in-flight lease; it expires on its own');
        });
      }
    }
  };
}
