import type { ChatKind } from '../../../message.js';
import type { SlackMessageEvent } from './event-shape.js';

/** Whether a message is answered, in which thread, and whether its thread is followed from now on. */
export type Decision = { answer: false } | { answer: true; thread: string | undefined; follow: boolean };

/**
 * DMs are always answered (in their thread when there is one: assistant threads). In channels
 * and groups a mention is answered in its thread, or in a new thread under the message, and
 * that thread is followed; other messages only when they are in a followed thread.
 */
export function decide(
  event: SlackMessageEvent,
  kind: ChatKind,
  mentioned: boolean,
  inFollowedThread: boolean,
): Decision {
  if (kind === 'dm') return { answer: true, thread: event.threadTs, follow: false };
  if (mentioned) return { answer: true, thread: event.threadTs ?? event.ts, follow: true };
  if (event.threadTs !== undefined && inFollowedThread) {
    return { answer: true, thread: event.threadTs, follow: true };
  }
  return { answer: false };
}

/** Whether answering might depend on the thread being followed (the only case needing a KV read). */
export function needsFollowCheck(event: SlackMessageEvent, kind: ChatKind, mentioned: boolean): boolean {
  return kind !== 'dm' && !mentioned && event.threadTs !== undefined;
}
