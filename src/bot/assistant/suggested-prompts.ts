import type { ChannelSettingsResolver } from '../channels/resolve.js';
import type { PermissionsFile, SuggestedPrompt } from '../permissions/schema.js';

export type { SuggestedPrompt };

/** The prompts offered in one chat of one workspace. */
export type SuggestedPromptsFor = (
  platform: string,
  workspace: string,
  chat: string,
) => Promise<SuggestedPrompt[]>;

/**
 * The one place that decides which prompts an assistant thread offers: the chat's own (an admin's
 * `/admin channel set prompts`, else permissions.json `chats`, else `channelDefaults`: the channel
 * settings), else the workspace's (`workspaces`), else the file's `suggestedPrompts`, else
 * `fallback` (the app's defaults).
 */
export function suggestedPromptsFrom(
  current: () => PermissionsFile,
  channels: Pick<ChannelSettingsResolver, 'forChat'>,
  fallback: readonly SuggestedPrompt[],
): SuggestedPromptsFor {
  return async (platform, workspace, chat) => {
    const file = current();
    const channel = await channels.forChat({ platform, chat });
    return [
      ...(channel.suggestedPrompts ??
        file.workspaces[`${platform}:${workspace}`]?.suggestedPrompts ??
        file.suggestedPrompts ??
        fallback),
    ];
  };
}
