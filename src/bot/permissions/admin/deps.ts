import type { ChannelSettingsResolver } from '../../channels/resolve.js';
import type { FeedbackStore } from '../../feedback/types.js';
import type { LimiterStore } from '../../limits/types.js';
import type { MessageContext } from '../../pipeline/context.js';
import type { AuditLog } from '../audit.js';
import type { PermissionOverrides } from '../overrides.js';
import type { PermissionsSource } from '../source.js';

export interface AdminDeps {
  source: PermissionsSource;
  overrides: PermissionOverrides;
  audit: AuditLog;
  /** For /limits: what is left of each window. */
  limiter?: LimiterStore | undefined;
  /** For /admin channel: per-channel settings. */
  channels?: ChannelSettingsResolver | undefined;
  /** For /admin feedback: votes on answers. */
  feedback?: FeedbackStore | undefined;
  now?: () => number;
}

/** Who ran a command, for the audit log. */
export function actorOf(ctx: MessageContext): string {
  const { platform, user } = ctx.message;
  return `${platform}:${user.id}${user.name === undefined ? '' : ` (${user.name})`}`;
}

/**
 * `<user>` as typed: `slack:U0123` / `lark:ou_abc` as is; a bare id gets the sender's platform;
 * a Slack mention `<@U0123>` and a leading `@` are unwrapped.
 */
export function targetUser(ctx: MessageContext, typed: string): string {
  const bare = typed.replace(/^<@([^>|]+)(?:\|[^>]*)?>$/, '$1').replace(/^@/, '');
  return /^(slack|lark|local):\S+$/.test(bare) ? bare : `${ctx.message.platform}:${bare}`;
}
