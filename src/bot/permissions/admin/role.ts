import { UserFacingError } from '../../errors.js';
import type { MessageContext } from '../../pipeline/context.js';
import { fileRole } from '../resolve.js';
import { type AdminDeps, actorOf, targetUser } from './deps.js';

export const ROLE_USAGE = 'admin role set <user> <role> (role "default" drops the override)';

export async function roleCommand(ctx: MessageContext, deps: AdminDeps, args: string[]): Promise<void> {
  const [action, who, role, ...rest] = args;
  if (action !== 'set' || who === undefined || role === undefined || rest.length > 0) {
    throw new UserFacingError(`Usage: ${ROLE_USAGE}`, 'usage');
  }
  const file = deps.source.current();
  if (role !== 'default' && !Object.hasOwn(file.roles, role)) {
    throw new UserFacingError(`Unknown role ${role}. Roles: ${Object.keys(file.roles).join(', ')}.`, 'usage');
  }
  const user = targetUser(ctx, who);
  const before = await deps.overrides.user(user);
  const after = { ...before, role: role === 'default' ? undefined : role };
  await deps.overrides.setUser(user, after);
  await deps.audit.record({
    at: new Date(deps.now?.() ?? Date.now()).toISOString(),
    by: actorOf(ctx),
    action: 'role set',
    target: user,
    before: before.role ?? null,
    after: after.role ?? null,
  });
  const effective = after.role ?? fileRole(file, user, undefined);
  await ctx.reply.post(
    `${user} now has role ${effective}${after.role === undefined ? ' (from permissions.json)' : ''}.`,
  );
}
