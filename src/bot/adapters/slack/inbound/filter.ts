import type { BotIdentity } from '../identity.js';
import type { SlackMessageEvent } from './event-shape.js';

/**
 * Subtypes that are someone's new message. Everything else (message_changed, message_deleted,
 * channel_join, channel_topic, …) is housekeeping and gets no answer. `bot_message` is allowed
 * here and decided by the bot rule below.
 */
const ANSWERABLE_SUBTYPES = new Set(['file_share', 'thread_broadcast', 'me_message', 'bot_message']);

/** Why an event gets no answer, or undefined when it may get one. */
export function ignoreReason(
  event: SlackMessageEvent,
  self: BotIdentity,
  answerBots: boolean,
): string | undefined {
  if (event.user === self.userId || (event.botId !== undefined && event.botId === self.botId)) {
    return 'own_message';
  }
  if (event.subtype !== undefined && !ANSWERABLE_SUBTYPES.has(event.subtype))
    return `subtype_${event.subtype}`;
  const fromBot = event.botId !== undefined || event.subtype === 'bot_message';
  if (fromBot && !answerBots) return 'other_bot';
  if (event.user === undefined && !fromBot) return 'no_sender';
  return undefined;
}
