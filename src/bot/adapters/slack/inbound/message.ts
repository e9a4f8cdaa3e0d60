import type { Attachment, ChatKind, InboundMessage } from '../../../message.js';
import type { SlackMessageEvent } from './event-shape.js';

/**
 * The dedup key of a Slack message: the same for its `app_mention` and `message` events and
 * for Slack's redeliveries of either, so one message is answered once.
 */
export function messageKey(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

export interface MessageParts {
  workspace: string;
  kind: ChatKind;
  thread: string | undefined;
  text: string;
  mentionsBot: boolean;
  attachments: Attachment[];
}

export function toInboundMessage(event: SlackMessageEvent, parts: MessageParts): InboundMessage {
  return {
    id: messageKey(event.channel, event.ts),
    platform: 'slack',
    workspace: parts.workspace,
    chat: { id: event.channel, kind: parts.kind },
    thread: parts.thread,
    // No name: only slash commands show it, and their payload carries it (user-names.ts is for mentions).
    user: { id: event.user ?? event.botId ?? 'unknown' },
    text: parts.text,
    mentionsBot: parts.mentionsBot,
    attachments: parts.attachments,
    receivedAt: new Date(Number(event.ts) * 1000 || Date.now()),
  };
}
