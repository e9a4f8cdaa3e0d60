import { parseLarkCommand, stripMentions } from '../format/index.js';
import { toAttachments } from '../inbound/attachments.js';
import { readContent, SUPPORTED_TYPES } from '../inbound/content.js';
import { decide } from '../inbound/decide.js';
import { readMessageEvent } from '../inbound/event-shape.js';
import { ignoreReason, isStale } from '../inbound/filter.js';
import { toInboundMessage } from '../inbound/message.js';
import type { ListenerDeps } from './deps.js';
import type { Fields } from './fields.js';

/**
 * One im.message.receive_v1 event, after Lark was answered: drops stale and repeated events, the
 * bot's own and other bots' messages and group messages that do not mention the bot, then hands
 * the message to the pipeline with a Replier that answers in its thread.
 */
export async function handleMessageEvent(data: Fields, deps: ListenerDeps): Promise<void> {
  const event = readMessageEvent(data);
  if (event === undefined) {
    deps.log.warn('a Lark message event without message or chat id; ignored');
    return;
  }
  const log = deps.log.child({ chat: event.chatId, larkMessage: event.messageId, eventId: event.eventId });
  const now = deps.now();
  if (isStale(event, now, deps.staleAfterMs)) {
    log.info({ ageMs: now - (event.createTime ?? now) }, 'stale Lark message dropped');
    deps.onStale('im.message.receive_v1');
    return;
  }
  if (!(await deps.claims.claim(event.tenantKey, event.eventId))) {
    log.debug('Lark event already handled');
    return;
  }
  const self = await deps.identity();
  const skip =
    ignoreReason(event, self, deps.answerBots) ??
    (SUPPORTED_TYPES.has(event.messageType) ? undefined : `type_${event.messageType}`);
  if (skip !== undefined) {
    log.debug({ reason: skip }, 'Lark message ignored');
    return;
  }
  const content = readContent(event.messageType, event.content);
  const { text, mentionsBot } = stripMentions(content.text, event.mentions, self.openId);
  const mentionRequired =
    event.chatType === 'p2p' || mentionsBot
      ? true
      : await deps.mentionRequired({ platform: 'lark', chat: event.chatId }).catch(() => true);
  const decision = decide(event, mentionsBot, mentionRequired);
  if (!decision.answer) {
    log.debug('Lark message not for the bot');
    return;
  }
  if (event.chatType === 'p2p' && event.sender.openId !== undefined) {
    await deps.p2pChats
      .remember(event.tenantKey, event.sender.openId, event.chatId)
      .catch((error: unknown) => {
        log.warn({ err: error }, 'could not remember the 1:1 chat');
      });
  }
  const message = toInboundMessage(
    event,
    {
      thread: decision.thread,
      text,
      mentionsBot,
      command: parseLarkCommand(text),
      attachments: toAttachments(event.messageId, content.resources, deps.media),
    },
    now,
  );
  const target = { kind: 'reply', messageId: event.messageId, inThread: decision.inThread } as const;
  await deps.handOver(message, deps.replier(target, message, log));
}
