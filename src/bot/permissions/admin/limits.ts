import { formatWindow, parseWindow, WINDOW_HELP } from '../../../util/rate-window.js';
import { UserFacingError } from '../../errors.js';
import type { MessageContext } from '../../pipeline/context.js';
import type { RoleLimits } from '../schema.js';
import { type AdminDeps, actorOf } from './deps.js';

export const LIMITS_USAGE =
  'admin limits show [<role>] | admin limits set <role> <n>/<window> | admin limits set <role> tokensPerDay|concurrent <n> | admin limits reset <role>';

async function effective(
  deps: AdminDeps,
  role: string,
): Promise<{ limits: RoleLimits; overridden: string[] }> {
  const base = deps.source.current().roles[role]?.limits ?? { requests: [] };
  const override = await deps.overrides.roleLimits(role);
  return { limits: { ...base, ...override }, overridden: Object.keys(override) };
}

function describe(role: string, limits: RoleLimits, overridden: string[]): string {
  const mark = (field: string) => (overridden.includes(field) ? ' (set by an admin)' : '');
  return [
    `${role}:`,
    `  requests: ${limits.requests.join(', ') || 'unlimited'}${mark('requests')}`,
    `  tokensPerDay: ${limits.tokensPerDay ?? 'unlimited'}${mark('tokensPerDay')}`,
    `  concurrent: ${limits.concurrent ?? 'unlimited'}${mark('concurrent')}`,
  ].join('\n');
}

export async function limitsCommand(ctx: MessageContext, deps: AdminDeps, args: string[]): Promise<void> {
  const [action, role, value, amount, ...rest] = args;
  const roles = Object.keys(deps.source.current().roles);
  if (role !== undefined && !roles.includes(role)) {
    throw new UserFacingError(`Unknown role ${role}. Roles: ${roles.join(', ')}.`, 'usage');
  }
  if (action === 'show' && value === undefined) {
    const shown = role === undefined ? roles : [role];
    const parts = await Promise.all(
      shown.map(async (r) => {
        const { limits, overridden } = await effective(deps, r);
        return describe(r, limits, overridden);
      }),
    );
    await ctx.reply.post(parts.join('\n'));
    return;
  }
  if (action === 'reset' && role !== undefined && value === undefined) {
    const before = await deps.overrides.roleLimits(role);
    await deps.overrides.clearRoleLimits(role);
    await deps.audit.record({
      at: new Date(deps.now?.() ?? Date.now()).toISOString(),
      by: actorOf(ctx),
      action: 'limits reset',
      target: `role ${role}`,
      before,
      after: {},
    });
    const { limits, overridden } = await effective(deps, role);
    await ctx.reply.post(`Limits back to permissions.json.\n${describe(role, limits, overridden)}`);
    return;
  }
  if (action !== 'set' || role === undefined || value === undefined || rest.length > 0) {
    throw new UserFacingError(`Usage: ${LIMITS_USAGE}`, 'usage');
  }
  const before = await deps.overrides.roleLimits(role);
  const { limits: current } = await effective(deps, role);
  const after = { ...before };
  if (value === 'tokensPerDay' || value === 'concurrent') {
    const n = Number(amount);
    if (amount === undefined || !Number.isSafeInteger(n) || n < 1) {
      throw new UserFacingError(`${value} needs a whole number of at least 1.`, 'usage');
    }
    after[value] = n;
  } else {
    const window = amount === undefined ? parseWindow(value) : undefined;
    if (window === undefined)
      throw new UserFacingError(`Expected ${WINDOW_HELP}. Usage: ${LIMITS_USAGE}`, 'usage');
    // Same period: replace that window; a new period adds one.
    const others = current.requests.filter((w) => parseWindow(w)?.periodMs !== window.periodMs);
    after.requests = [...others, formatWindow(window)];
  }
  await deps.overrides.setRoleLimits(role, after);
  await deps.audit.record({
    at: new Date(deps.now?.() ?? Date.now()).toISOString(),
    by: actorOf(ctx),
    action: 'limits set',
    target: `role ${role}`,
    before,
    after,
  });
  const { limits, overridden } = await effective(deps, role);
  await ctx.reply.post(`Limits updated.\n${describe(role, limits, overridden)}`);
}
