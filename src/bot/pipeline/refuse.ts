import type { MessageContext } from './context.js';

/**
 * Refuses a message with a notice to its sender. The decision is final before the notice goes out:
 * nothing is left to make durable, so the platform's ack (which waits for `accepted`) does not wait
 * for the notice's Web API call, and the delivery counts as handled (dedup) either way.
 */
export async function refuse(ctx: MessageContext, notice: string): Promise<void> {
  ctx.message.accepted?.();
  await ctx.reply.notice(notice);
}
