import type { BotInfo } from '../api/lark-api.js';
import type { LarkMessageEvent } from './event-shape.js';

/** Why a message gets no answer, or undefined when it may get one. */
export function ignoreReason(
  event: LarkMessageEvent,
  self: BotInfo,
  answerBots: boolean,
): string | undefined {
  if (event.sender.openId !== undefined && event.sender.openId === self.openId) return 'own_message';
  if (event.sender.type === 'app') return answerBots ? undefined : 'other_bot';
  if (event.sender.type !== 'user') return `sender_${event.sender.type}`;
  return undefined;
}

/** Whether a message is older than `maxAgeMs` (a replay after a reconnect, or a late retry). */
export function isStale(event: LarkMessageEvent, now: number, maxAgeMs: number): boolean {
  return event.createTime !== undefined && now - event.createTime > maxAgeMs;
}
