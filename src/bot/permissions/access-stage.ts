import type { ChannelSettingsResolver } from '../channels/resolve.js';
import { limitedNotice } from '../limits/messages.js';
import type { FailMode } from '../limits/stage.js';
import type { Middleware } from '../pipeline/compose.js';
import type { MessageContext } from '../pipeline/context.js';
import type { PipelineMetrics } from '../pipeline/metrics.js';
import { refuse } from '../pipeline/refuse.js';
import type { PermissionOverrides } from './overrides.js';
import { chatKeyOf, type ResolvedAccess, resolveAccess, userKeyOf } from './resolve.js';
import type { PermissionsSource } from './source.js';

export interface AccessStageOptions {
  source: PermissionsSource;
  overrides: PermissionOverrides;
  metrics: PipelineMetrics;
  /**
   * When admin overrides cannot be read (Redis down): `open` (default) decides on permissions.json
   * alone, `closed` tells the sender to try again later (RATE_LIMIT_FAIL_MODE).
   */
  failMode?: FailMode;
  /** Per-channel settings (ctx.channel); their mention rule replaces access.groupsNeedMention. */
  channels?: ChannelSettingsResolver;
}

/** Overrides as they are when the store that keeps them cannot be read: none, the file alone decides. */
const NO_OVERRIDES = {
  user: async () => ({ grant: [], revoke: [] }),
  roleLimits: async () => ({}),
};

/** What the permissions stage resolved for this message (the rate-limit stage and /limits read it). */
export function accessOf(ctx: MessageContext): ResolvedAccess | undefined {
  return ctx.access;
}

export const NO_ASK_SCOPE = "You don't have permission to ask me questions here (scope chat:ask).";

/** Commands that run the model and so need chat:ask. */
const ASKING_COMMANDS = new Set(['ask']);

/**
 * The access-control stage: sets ctx.role and ctx.scopes from permissions.json plus admin overrides,
 * then drops messages from denied chats, DMs the DM policy refuses, group messages without a mention
 * where one is required, and questions from senders without chat:ask. The local terminal user is admin.
 */
export function accessStage(options: AccessStageOptions): Middleware {
  const { metrics } = options;
  return async (ctx, next) => {
    const file = options.source.current();
    let access: ResolvedAccess;
    try {
      access = await resolveAccess(file, options.overrides, ctx.message);
    } catch (error) {
      const mode = options.failMode ?? 'open';
      ctx.log.warn({ err: error, failMode: mode }, 'permission overrides unavailable');
      metrics.stage('permissions', `overrides_unavailable_${mode}`);
      if (mode === 'closed') return refuse(ctx, limitedNotice(ctx.message, 'unavailable', 60_000));
      access = await resolveAccess(file, NO_OVERRIDES, ctx.message);
    }
    ctx.role = access.role;
    ctx.scopes = access.scopes;
    ctx.access = access;
    if (options.channels !== undefined) {
      ctx.channel = await options.channels.forChat({
        platform: ctx.message.platform,
        chat: ctx.message.chat.id,
      });
    }
    const denied = ctx.message.trustedAdmin === true ? undefined : denyReason(ctx, file, access);
    if (denied === undefined) {
      metrics.stage('permissions', 'passed');
      return next();
    }
    metrics.stage('permissions', denied.outcome);
    ctx.log.info({ reason: denied.outcome, role: access.role }, 'message refused by permissions');
    if (denied.notice !== undefined) await refuse(ctx, denied.notice);
  };
}

interface Denial {
  outcome: string;
  /** Told to the sender; silent denials (chats the bot does not serve, unaddressed messages) have none. */
  notice?: string;
}

function denyReason(
  ctx: MessageContext,
  file: ReturnType<PermissionsSource['current']>,
  access: ResolvedAccess,
): Denial | undefined {
  const { message } = ctx;
  const chat = chatKeyOf(message);
  const { access: rules } = file;
  if (rules.denyChats.includes(chat)) return { outcome: 'denied_chat' };
  if (message.chat.kind === 'dm') {
    if (rules.dmPolicy === 'closed')
      return { outcome: 'denied_dm', notice: 'I do not answer direct messages here; ask me in a channel.' };
    if (
      rules.dmPolicy === 'assigned' &&
      !Object.hasOwn(file.users, userKeyOf(message)) &&
      access.role === file.defaultRole
    )
      return {
        outcome: 'denied_dm',
        notice: 'Direct messages are only for listed users; ask me in a channel.',
      };
  } else {
    if (rules.allowChats.length > 0 && !rules.allowChats.includes(chat)) return { outcome: 'denied_chat' };
    // A message in a thread the adapter passed on (one the bot already answers) counts as addressed.
    const addressed = message.mentionsBot || message.command !== undefined || message.thread !== undefined;
    const needMention = ctx.channel?.mentionRequired ?? rules.groupsNeedMention;
    if (needMention && !addressed) return { outcome: 'no_mention' };
  }
  const asks =
    message.command === undefined
      ? message.attachments.length === 0
      : ASKING_COMMANDS.has(message.command.name);
  if (asks && !access.scopes.has('chat:ask')) return { outcome: 'denied_scope', notice: NO_ASK_SCOPE };
  return undefined;
}
