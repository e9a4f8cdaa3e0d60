import { conversationKey } from '../message.js';
import type { StopSignals } from '../turns/stop-signals.js';
import type { CommandRegistry } from './registry.js';

export const STOP_SENT = 'Stopping: what was written so far stays, marked as stopped.';

/**
 * `/stop`: sent in a thread, it stops the answers running in that thread; a slash command (no
 * thread) or a message outside threads stops the sender's answers in that chat. Wherever they run.
 */
export function registerStopCommand(registry: CommandRegistry, stops: StopSignals): void {
  registry.register({
    name: 'stop',
    summary: 'stop the answer being written (in a thread: that thread; else your answers in this chat)',
    run: async (ctx) => {
      const { message } = ctx;
      const by = `${message.platform}:${message.user.id}`;
      if (message.thread !== undefined) {
        await stops.stopConversation(conversationKey(message), { by });
      } else {
        await stops.stopUserInChat(
          {
            platform: message.platform,
            workspace: message.workspace,
            chat: message.chat.id,
            userId: message.user.id,
          },
          { by },
        );
      }
      ctx.log.info({ by }, 'stop requested');
      await ctx.reply.notice(STOP_SENT);
    },
  });
}
