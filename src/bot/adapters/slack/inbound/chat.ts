import type { ChatKind } from '../../../message.js';

/**
 * The chat kind from an event's `channel_type`, or from the channel id when there is none
 * (app_mention events and slash commands): D… is a DM; mpim is a group DM; public and private
 * channels are both channels.
 */
export function chatKindOf(channel: string, channelType?: string): ChatKind {
  if (channelType === 'im') return 'dm';
  if (channelType === 'mpim') return 'group';
  if (channelType === 'channel' || channelType === 'group') return 'channel';
  return channel.startsWith('D') ? 'dm' : 'channel';
}

/** A slash command's `channel_name` as a `channel_type`: directmessage, mpdm-…, or a channel name. */
export function channelTypeFromName(name: string | undefined): string | undefined {
  if (name === 'directmessage') return 'im';
  if (name?.startsWith('mpdm-')) return 'mpim';
  return undefined;
}
