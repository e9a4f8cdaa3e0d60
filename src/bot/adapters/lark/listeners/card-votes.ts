import type { FeedbackValue } from '../../../feedback/types.js';
import { DEFAULT_WORKSPACE } from '../inbound/message.js';
import type { ListenerDeps } from './deps.js';
import { type Fields, str } from './fields.js';

/** Who pressed, on which card, in which chat: read off a card action. */
export interface CardPress {
  tenant: string;
  user: string;
  messageId: string;
  chatId: string;
  eventId: string | undefined;
}

const VALUES = new Set<FeedbackValue>(['good', 'bad']);

/** A Stop button: the answers running in the conversation it names stop, wherever they run. */
export async function pressStop(value: Fields, press: CardPress, deps: ListenerDeps): Promise<void> {
  const conversation = str(value, 'conversation');
  const log = deps.log.child({ chat: press.chatId, larkMessage: press.messageId });
  if (deps.stopSignals === undefined || conversation === undefined) {
    log.debug('a Stop button without stop signals or conversation');
    return;
  }
  // Only the conversations of this workspace's chat: a button's value cannot reach another chat's.
  if (!conversation.startsWith(`lark:${press.tenant || DEFAULT_WORKSPACE}:${press.chatId}:`)) {
    log.warn('a Stop button naming a conversation of another chat; ignored');
    return;
  }
  if (!(await deps.claims.claim(press.tenant, press.eventId))) return;
  // Marked first, so the replica streaming the card sees it when the stopped answer ends.
  await deps.stopMarks.mark(press.messageId).catch((error: unknown) => {
    log.warn({ err: error }, 'could not mark the card as stopped');
  });
  await deps.stopSignals.stopConversation(conversation, { by: press.user });
  log.info({ by: press.user }, 'answer stopped with the Stop button');
}

/** A 👍 / 👎 button: the vote on that card's answer is recorded (a later vote replaces it). */
export async function pressFeedback(value: Fields, press: CardPress, deps: ListenerDeps): Promise<void> {
  const vote = str(value, 'value') as FeedbackValue | undefined;
  const log = deps.log.child({ chat: press.chatId, larkMessage: press.messageId });
  if (deps.feedback === undefined || vote === undefined || !VALUES.has(vote)) {
    log.debug('a feedback button without a store or a vote');
    return;
  }
  if (!(await deps.claims.claim(press.tenant, press.eventId))) return;
  await deps.feedback.record({
    platform: 'lark',
    workspace: press.tenant || DEFAULT_WORKSPACE,
    chat: press.chatId,
    answerId: press.messageId,
    userId: press.user,
    value: vote,
    model: str(value, 'model') ?? 'unknown',
    backend: str(value, 'backend') ?? 'unknown',
    at: deps.now(),
  });
  log.info({ value: vote }, 'feedback recorded');
}
