import type { CommandRegistry } from '../../commands/registry.js';
import { UserFacingError } from '../../errors.js';
import { FEEDBACK_USAGE, feedbackCommand } from '../../feedback/admin-command.js';
import type { MessageContext } from '../../pipeline/context.js';
import { AUDIT_USAGE, auditCommand } from './audit.js';
import { CHANNEL_USAGE, channelCommand } from './channel.js';
import type { AdminDeps } from './deps.js';
import { LIMITS_USAGE, limitsCommand } from './limits.js';
import { ROLE_USAGE, roleCommand } from './role.js';
import { SCOPES_USAGE, scopesCommand } from './scopes.js';

type Sub = (ctx: MessageContext, deps: AdminDeps, args: string[]) => Promise<void>;

/** Each admin subcommand and the scope it needs. */
const SUBCOMMANDS: Record<string, { scope: string; run: Sub; usage: string }> = {
  scopes: { scope: 'admin:scopes', run: scopesCommand, usage: SCOPES_USAGE },
  role: { scope: 'admin:scopes', run: roleCommand, usage: ROLE_USAGE },
  limits: { scope: 'admin:limits', run: limitsCommand, usage: LIMITS_USAGE },
  audit: { scope: 'admin:audit', run: auditCommand, usage: AUDIT_USAGE },
  feedback: {
    scope: 'admin:audit',
    run: (ctx, deps, args) => feedbackCommand(ctx, deps.feedback, args),
    usage: FEEDBACK_USAGE,
  },
  channel: { scope: 'admin:scopes', run: channelCommand, usage: CHANNEL_USAGE },
};

const HELP = ['Admin commands:', ...Object.values(SUBCOMMANDS).map((s) => `• ${s.usage}`)].join('\n');

/** `/admin …` (Lark) and `/teambot admin …` (Slack) land here as the command `admin`. */
export function registerAdminCommands(registry: CommandRegistry, deps: AdminDeps): void {
  registry.register({
    name: 'admin',
    usage: 'scopes|role|limits|audit|feedback|channel …',
    summary:
      'change scopes, roles, limits and channel settings; read the audit log and feedback (admins only)',
    run: async (ctx, args) => {
      const words = args.split(/\s+/).filter((w) => w !== '');
      const [name, ...rest] = words;
      const sub = name === undefined ? undefined : SUBCOMMANDS[name.toLowerCase()];
      if (sub === undefined) {
        const held = Object.values(SUBCOMMANDS).some((s) => ctx.scopes.has(s.scope));
        if (!held) throw new UserFacingError('Only admins may use /admin.', 'forbidden');
        await ctx.reply.notice(HELP);
        return;
      }
      if (!ctx.scopes.has(sub.scope)) {
        ctx.log.info({ command: `admin ${name}`, role: ctx.role }, 'admin command refused');
        throw new UserFacingError(
          `You need the ${sub.scope} scope for /admin ${name}; your role ${ctx.role} does not have it.`,
          'forbidden',
        );
      }
      await sub.run(ctx, deps, rest);
    },
  });
}
