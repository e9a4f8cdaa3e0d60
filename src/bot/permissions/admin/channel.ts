import { describeChannel } from '../../channels/describe.js';
import { isSettingName, parseSetting, SETTING_FIELDS, SETTING_HELP } from '../../channels/parse-setting.js';
import type { ChannelOverrides } from '../../channels/schema.js';
import { type ChannelRef, channelKey } from '../../channels/types.js';
import { UserFacingError } from '../../errors.js';
import type { MessageContext } from '../../pipeline/context.js';
import { type AdminDeps, actorOf } from './deps.js';

export const CHANNEL_USAGE =
  'admin channel [<platform>:<chat>] show | set <setting> <value> | reset [<setting>] ' +
  `(settings: ${SETTING_HELP}; default chat: this one)`;

const CHAT = /^(slack|lark|local):\S+$/;

function chatOf(ctx: MessageContext, args: string[]): [ChannelRef, string[]] {
  const [first, ...rest] = args;
  if (first !== undefined && CHAT.test(first)) {
    const at = first.indexOf(':');
    return [{ platform: first.slice(0, at), chat: first.slice(at + 1) }, rest];
  }
  return [{ platform: ctx.message.platform, chat: ctx.message.chat.id }, args];
}

/** The fields `reset` clears: one setting's, or all. */
function cleared(before: ChannelOverrides, name: string | undefined): ChannelOverrides {
  if (name === undefined) return {};
  if (!isSettingName(name))
    throw new UserFacingError(`Unknown setting ${name}. Settings: ${SETTING_HELP}.`, 'usage');
  const { [SETTING_FIELDS[name]]: _dropped, ...kept } = before;
  return kept;
}

/** `/admin channel …`: shows and changes a chat's settings in the KV store, each change audit-logged. */
export async function channelCommand(ctx: MessageContext, deps: AdminDeps, args: string[]): Promise<void> {
  const channels = deps.channels;
  if (channels === undefined) throw new UserFacingError('Channel settings are not set up here.', 'usage');
  const [ref, rest] = chatOf(ctx, args);
  const [action, name, ...value] = rest;
  if (action === 'show' && name === undefined) {
    await ctx.reply.post(describeChannel(channelKey(ref), await channels.forChat(ref)));
    return;
  }
  let after: ChannelOverrides;
  const before = await channels.store.get(ref);
  if (action === 'set' && name !== undefined && value.length > 0) {
    if (!isSettingName(name))
      throw new UserFacingError(`Unknown setting ${name}. Settings: ${SETTING_HELP}.`, 'usage');
    after = { ...before, ...parseSetting(name, value.join(' ')) };
  } else if (action === 'reset' && value.length === 0) {
    after = cleared(before, name);
  } else {
    throw new UserFacingError(`Usage: ${CHANNEL_USAGE}`, 'usage');
  }
  await channels.store.set(ref, after);
  await deps.audit.record({
    at: new Date(deps.now?.() ?? Date.now()).toISOString(),
    by: actorOf(ctx),
    action: `channel ${action}${name === undefined ? '' : ` ${name}`}`,
    target: channelKey(ref),
    before,
    after,
  });
  await ctx.reply.post(describeChannel(channelKey(ref), await channels.forChat(ref)));
}
