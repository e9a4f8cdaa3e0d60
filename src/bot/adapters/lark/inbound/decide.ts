import type { LarkMessageEvent } from './event-shape.js';

/**
 * Whether a message is answered; if so, the conversation's thread (InboundMessage.thread) and
 * whether the answer goes into a thread (`reply_in_thread`) or quotes the message in the chat.
 */
export type Decision = { answer: false } | { answer: true; thread: string | undefined; inThread: boolean };

/**
 * 1:1 chats are always answered: in the chat itself (the whole chat is the conversation), or in
 * the thread a message was written in. In groups only a message that mentions the bot (by open_id)
 * is answered (or any, where the chat's settings need no mention), in its thread: the one it is in
 * (its root), or a new one under the message.
 */
export function decide(event: LarkMessageEvent, mentioned: boolean, mentionRequired = true): Decision {
  if (event.chatType === 'p2p') {
    return event.threadId === undefined
      ? { answer: true, thread: undefined, inThread: false }
      : { answer: true, thread: event.rootId ?? event.messageId, inThread: true };
  }
  if (!mentioned && mentionRequired) return { answer: false };
  return { answer: true, thread: event.rootId ?? event.messageId, inThread: true };
}
