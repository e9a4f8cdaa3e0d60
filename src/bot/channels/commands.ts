import type { CommandRegistry } from '../commands/registry.js';
import { describeChannel } from './describe.js';
import type { ChannelSettingsResolver } from './resolve.js';
import { channelKey } from './types.js';

/** `/settings`: this chat's settings (permissions.json merged with admins' changes). */
export function registerSettingsCommand(registry: CommandRegistry, channels: ChannelSettingsResolver): void {
  registry.register({
    name: 'settings',
    summary: "show this chat's settings (mention, prompt, backend, thinking …)",
    run: async (ctx) => {
      const ref = { platform: ctx.message.platform, chat: ctx.message.chat.id };
      const settings = ctx.channel ?? (await channels.forChat(ref));
      await ctx.reply.notice(describeChannel(channelKey(ref), settings));
    },
  });
}
