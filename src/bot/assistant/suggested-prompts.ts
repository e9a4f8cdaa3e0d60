import type { PermissionsFile, SuggestedPrompt } from '../permissions/schema.js';

export type { SuggestedPrompt };

/** The prompts offered in one chat of one workspace. */
export type SuggestedPromptsFor = (
  platform: string,
  workspace: string,
  chat: string,
) => Promise<SuggestedPrompt[]>;

/**
 * The one place that decides which prompts an assistant thread offers: the chat's own
 * (permissions.json `chats`), else the workspace's (`workspaces`), else the file's
 * `suggestedPrompts`, else `fallback` (the app's defaults). Per-channel settings changed by admins
 * are to be looked up here first.
 */
export function suggestedPromptsFrom(
  current: () => PermissionsFile,
  fallback: readonly SuggestedPrompt[],
): SuggestedPromptsFor {
  return async (platform, workspace, chat) => {
    const file = current();
    return [
      ...(file.chats[`${platform}:${chat}`]?.suggestedPrompts ??
        file.workspaces[`${platform}:${workspace}`]?.suggestedPrompts ??
        file.suggestedPrompts ??
        fallback),
    ];
  };
}
