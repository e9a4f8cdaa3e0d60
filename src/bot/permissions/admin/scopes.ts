import { UserFacingError } from '../../errors.js';
import type { MessageContext } from '../../pipeline/context.js';
import { fileRole } from '../resolve.js';
import { BOT_SCOPES } from '../schema.js';
import { type AdminDeps, actorOf, targetUser } from './deps.js';

export const SCOPES_USAGE = 'admin scopes list [<user>] | admin scopes grant|revoke <user> <scope>';

/** Effective scopes of a user: their role's, plus grants, minus revokes. */
async function describeUser(deps: AdminDeps, user: string): Promise<string> {
  const file = deps.source.current();
  const override = await deps.overrides.user(user);
  const role = override.role ?? fileRole(file, user, undefined);
  const scopes = new Set<string>(file.roles[role]?.scopes ?? []);
  for (const s of override.grant) scopes.add(s);
  for (const s of override.revoke) scopes.delete(s);
  const lines = [`${user}: role ${role}${override.role === undefined ? '' : ' (set by an admin)'}`];
  lines.push(`scopes: ${[...scopes].sort().join(', ') || '(none)'}`);
  if (override.grant.length > 0) lines.push(`granted: ${override.grant.join(', ')}`);
  if (override.revoke.length > 0) lines.push(`revoked: ${override.revoke.join(', ')}`);
  return lines.join('\n');
}

export async function scopesCommand(ctx: MessageContext, deps: AdminDeps, args: string[]): Promise<void> {
  const [action, who, scope, ...rest] = args;
  if (action === 'list') {
    if (who === undefined) {
      const file = deps.source.current();
      const lines = Object.entries(file.roles).map(
        ([name, role]) => `• ${name}: ${role.scopes.join(', ') || '(none)'}`,
      );
      await ctx.reply.post([`Roles (default: ${file.defaultRole}):`, ...lines].join('\n'));
      return;
    }
    await ctx.reply.post(await describeUser(deps, targetUser(ctx, who)));
    return;
  }
  if (
    (action !== 'grant' && action !== 'revoke') ||
    who === undefined ||
    scope === undefined ||
    rest.length > 0
  ) {
    throw new UserFacingError(`Usage: ${SCOPES_USAGE}`, 'usage');
  }
  if (!(BOT_SCOPES as readonly string[]).includes(scope)) {
    throw new UserFacingError(`Unknown scope ${scope}. Scopes: ${BOT_SCOPES.join(', ')}.`, 'usage');
  }
  const user = targetUser(ctx, who);
  const before = await deps.overrides.user(user);
  const grant = new Set(before.grant);
  const revoke = new Set(before.revoke);
  if (action === 'grant') {
    grant.add(scope);
    revoke.delete(scope);
  } else {
    revoke.add(scope);
    grant.delete(scope);
  }
  const after = { ...before, grant: [...grant].sort(), revoke: [...revoke].sort() };
  await deps.overrides.setUser(user, after);
  await deps.audit.record({
    at: new Date(deps.now?.() ?? Date.now()).toISOString(),
    by: actorOf(ctx),
    action: `scopes ${action} ${scope}`,
    target: user,
    before,
    after,
  });
  await ctx.reply.post(
    `${action === 'grant' ? 'Granted' : 'Revoked'} ${scope} ${action === 'grant' ? 'to' : 'from'} ${user}.\n${await describeUser(deps, user)}`,
  );
}
