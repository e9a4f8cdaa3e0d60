import type { CommandRegistry } from '../commands/registry.js';
import { planLimits } from '../limits/plan.js';
import type { LimiterStore } from '../limits/types.js';
import { accessOf } from './access-stage.js';

/** `/limits`: the sender's role and scopes, their windows and what is left of each, and the token budget. */
export function registerLimitsCommand(
  registry: CommandRegistry,
  deps: { limiter: LimiterStore; now?: () => number },
): void {
  registry.register({
    name: 'limits',
    summary: 'show your usage limits and what is left',
    run: async (ctx) => {
      const access = accessOf(ctx);
      if (access === undefined) {
        await ctx.reply.notice('No limits apply here.');
        return;
      }
      const plan = planLimits(ctx.message, access, { id: 'peek', ttlMs: 1 });
      const left = await deps.limiter.peek(plan.request.windows, deps.now?.()).catch(() => undefined);
      const lines = [`Role: ${access.role}.`, `Scopes: ${[...access.scopes].sort().join(', ') || '(none)'}.`];
      plan.request.windows.forEach((check, i) => {
        const reason = plan.reasons[i];
        const remaining = left?.[i] === undefined ? 'unknown' : String(left[i]);
        if (reason === 'tokens') lines.push(`Tokens today: ${remaining} of ${check.limit} left.`);
        else {
          const label = access.limits.requests.concat(access.chatLimits)[i] ?? `${check.limit}`;
          lines.push(`${reason === 'chat' ? 'This chat' : 'You'}: ${label}, ${remaining} left.`);
        }
      });
      if (access.limits.concurrent !== undefined)
        lines.push(`Answers in progress at once: at most ${access.limits.concurrent}.`);
      if (lines.length === 2) lines.push('No limits apply to your role.');
      await ctx.reply.notice(lines.join('\n'));
    },
  });
}
