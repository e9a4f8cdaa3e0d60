import type { InboundMessage, ParsedCommand } from '../../../message.js';
import { channelTypeFromName, chatKindOf } from './chat.js';
import { plainText } from './text.js';

/** The fields of a slash command payload the adapter reads. */
export interface SlashCommand {
  command: string;
  text: string;
  team_id: string;
  channel_id: string;
  channel_name?: string | undefined;
  user_id: string;
  user_name?: string | undefined;
  trigger_id: string;
  response_url: string;
}

/**
 * `/ask <question>` → ask; `/teambot <name> <args>` → that command (`/teambot` alone → help).
 * Any other slash command routed here is taken as its own name.
 */
export function parseSlashCommand(command: string, text: string): ParsedCommand {
  const name = command.replace(/^\//, '').toLowerCase();
  const args = text.trim();
  if (name !== 'teambot') return { name, args };
  if (args === '') return { name: 'help', args: '' };
  const sub = args.split(/\s+/, 1)[0] ?? 'help';
  return { name: sub.toLowerCase(), args: args.slice(sub.length).trim() };
}

export function commandMessage(payload: SlashCommand, botUserId: string): InboundMessage {
  const text = plainText(payload.text, botUserId);
  return {
    // Slash commands are not redelivered; the trigger id is unique to one invocation.
    id: `command:${payload.trigger_id}`,
    platform: 'slack',
    workspace: payload.team_id,
    chat: {
      id: payload.channel_id,
      kind: chatKindOf(payload.channel_id, channelTypeFromName(payload.channel_name)),
    },
    thread: undefined,
    user: { id: payload.user_id, name: payload.user_name },
    text: `${payload.command} ${text}`.trim(),
    mentionsBot: true,
    command: parseSlashCommand(payload.command, text),
    attachments: [],
    receivedAt: new Date(),
  };
}
