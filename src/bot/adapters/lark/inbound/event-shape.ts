import type { LarkMention } from '../format/index.js';

/** The fields of an im.message.receive_v1 event (flattened by the dispatcher) the adapter reads. */
export interface LarkMessageEvent {
  eventId: string | undefined;
  /** The tenant: the workspace of the message. */
  tenantKey: string;
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  /** The first message of the reply chain or thread this one belongs to. */
  rootId: string | undefined;
  /** Set only for messages in a thread (话题). */
  threadId: string | undefined;
  messageType: string;
  /** The JSON `content` string. */
  content: string;
  mentions: LarkMention[];
  /** Milliseconds since the epoch, when Lark gives it. */
  createTime: number | undefined;
  sender: { openId: string | undefined; type: string };
}

type Fields = Record<string, unknown>;

const record = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
const str = (o: Fields, key: string): string | undefined =>
  typeof o[key] === 'string' && o[key] !== '' ? o[key] : undefined;

function readMention(value: unknown): LarkMention | undefined {
  const o = record(value);
  const key = str(o, 'key');
  if (key === undefined) return undefined;
  const openId = str(record(o.id), 'open_id');
  return { key, id: openId === undefined ? {} : { open_id: openId }, name: str(o, 'name') };
}

/** Milliseconds from Lark's string timestamps (ms; older events sometimes seconds). */
export function millis(value: unknown): number | undefined {
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return n < 1e12 ? n * 1000 : n;
}

/** An im.message.receive_v1 event's fields, or undefined when it lacks the ones every message has. */
export function readMessageEvent(data: Fields): LarkMessageEvent | undefined {
  const message = record(data.message);
  const sender = record(data.sender);
  const messageId = str(message, 'message_id');
  const chatId = str(message, 'chat_id');
  if (messageId === undefined || chatId === undefined) return undefined;
  const mentions = Array.isArray(message.mentions) ? message.mentions.map(readMention) : [];
  return {
    eventId: str(data, 'event_id') ?? str(data, 'uuid'),
    tenantKey: str(data, 'tenant_key') ?? str(sender, 'tenant_key') ?? '',
    messageId,
    chatId,
    chatType: message.chat_type === 'p2p' ? 'p2p' : 'group',
    rootId: str(message, 'root_id'),
    threadId: str(message, 'thread_id'),
    messageType: str(message, 'message_type') ?? 'unknown',
    content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? {}),
    mentions: mentions.filter((m): m is LarkMention => m !== undefined),
    createTime: millis(message.create_time) ?? millis(data.create_time),
    sender: { openId: str(record(sender.sender_id), 'open_id'), type: str(sender, 'sender_type') ?? 'user' },
  };
}
