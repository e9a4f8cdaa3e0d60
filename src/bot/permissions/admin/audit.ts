import { UserFacingError } from '../../errors.js';
import type { MessageContext } from '../../pipeline/context.js';
import type { AdminDeps } from './deps.js';

export const AUDIT_USAGE = 'admin audit [n] (newest first, default 10, at most 100)';

const brief = (value: unknown) => JSON.stringify(value ?? null);

export async function auditCommand(ctx: MessageContext, deps: AdminDeps, args: string[]): Promise<void> {
  const [count, ...rest] = args;
  const n = count === undefined ? 10 : Number(count);
  if (rest.length > 0 || !Number.isSafeInteger(n) || n < 1 || n > 100) {
    throw new UserFacingError(`Usage: ${AUDIT_USAGE}`, 'usage');
  }
  const entries = await deps.audit.recent(n);
  if (entries.length === 0) {
    await ctx.reply.post('No admin changes recorded yet.');
    return;
  }
  const lines = entries.map(
    (e) => `• ${e.at} ${e.by}: ${e.action} ${e.target}: ${brief(e.before)} → ${brief(e.after)}`,
  );
  await ctx.reply.post([`The last ${entries.length} admin changes:`, ...lines].join('\n'));
}
