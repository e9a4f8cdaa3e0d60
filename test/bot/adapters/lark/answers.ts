import type { FakeLark, FakeLarkMessage } from '../../../helpers/fake-lark.js';
import { waitFor } from '../../../helpers/fake-lark.js';

/** The bot's messages replying to `messageId`. */
export const repliesTo = (fake: FakeLark, messageId: string) =>
  fake.messages.filter((m) => m.replyTo === messageId);

/** Whether a message is complete: a CardKit card with streaming closed, or any other message. */
export function isFinished(fake: FakeLark, message: FakeLarkMessage): boolean {
  if (message.cardId === undefined) return true;
  return fake.cards.get(message.cardId)?.streaming === false;
}

/** Waits until the replies to `messageId` are all finished and show `text` between them. */
export function answered(fake: FakeLark, messageId: string, text: string, timeoutMs = 5_000) {
  return waitFor(
    () => {
      const replies = repliesTo(fake, messageId);
      if (replies.length === 0 || !replies.every((m) => isFinished(fake, m))) return undefined;
      return replies.map((m) => fake.textOf(m)).join('\n') === text ? replies : undefined;
    },
    `the answer to ${messageId}`,
    timeoutMs,
  );
}

/** The last user message the engine received. */
export function lastQuestion(requests: Array<{ body: unknown }>): string | undefined {
  const body = requests.at(-1)?.body as { messages: Array<{ content: string }> } | undefined;
  return body?.messages.at(-1)?.content;
}
