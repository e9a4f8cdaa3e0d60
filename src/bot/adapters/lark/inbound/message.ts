import type { Attachment, ChatKind, InboundMessage, ParsedCommand } from '../../../message.js';
import type { LarkMessageEvent } from './event-shape.js';

export interface MessageParts {
  thread: string | undefined;
  text: string;
  mentionsBot: boolean;
  command: ParsedCommand | undefined;
  attachments: Attachment[];
}

/** The workspace of a tenant-less event (a self-built app sees one tenant). */
export const DEFAULT_WORKSPACE = 'lark';

export function chatKind(event: LarkMessageEvent): ChatKind {
  return event.chatType === 'p2p' ? 'dm' : 'group';
}

/** An im.message.receive_v1 message; its message id is the pipeline's dedup key. */
export function toInboundMessage(event: LarkMessageEvent, parts: MessageParts, now: number): InboundMessage {
  return {
    id: event.messageId,
    platform: 'lark',
    workspace: event.tenantKey || DEFAULT_WORKSPACE,
    chat: { id: event.chatId, kind: chatKind(event) },
    thread: parts.thread,
    user: { id: event.sender.openId ?? 'unknown' },
    text: parts.text,
    mentionsBot: parts.mentionsBot,
    command: parts.command,
    attachments: parts.attachments,
    receivedAt: new Date(event.createTime ?? now),
  };
}

export interface CommandParts {
  /** Unique per event: `menu:<event id>`, `added:<event id>`, `card:<event id>`. */
  id: string;
  workspace: string;
  chat: { id: string; kind: ChatKind };
  thread?: string | undefined;
  user: string;
  command: ParsedCommand;
}

/** A command that came as an event rather than a message: bot menu, bot added, card button. */
export function commandMessage(parts: CommandParts, now: number): InboundMessage {
  return {
    id: parts.id,
    platform: 'lark',
    workspace: parts.workspace || DEFAULT_WORKSPACE,
    chat: parts.chat,
    thread: parts.thread,
    user: { id: parts.user },
    text: `/${parts.command.name} ${parts.command.args}`.trim(),
    mentionsBot: true,
    command: parts.command,
    attachments: [],
    receivedAt: new Date(now),
  };
}
