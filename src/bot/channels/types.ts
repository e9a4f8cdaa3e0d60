import type { BurstStrategy, SuggestedPrompt } from './schema.js';

/** A chat's settings, resolved: built-in defaults ← permissions.json ← admins' overrides. */
export interface ChannelSettings {
  /** Group messages need a mention to be answered. */
  mentionRequired: boolean;
  /** The system prompt of answers here; undefined: the bot's default (SYSTEM_PROMPT). */
  systemPrompt?: string | undefined;
  /** The engine chain's backend answers start with; undefined: the chain's order. */
  backend?: string | undefined;
  /** Set for this chat (admins, chats.<chat>, channelDefaults); undefined: the workspace's or the app's. */
  suggestedPrompts?: SuggestedPrompt[] | undefined;
  /** Read by the turn queue (durable turns): what a message arriving mid-answer does. */
  burst: BurstStrategy;
  thinking: boolean;
}

/** Which chat: the platform and its chat id (`<platform>:<chat id>`, as permissions.json keys chats). */
export interface ChannelRef {
  platform: string;
  chat: string;
}

export const channelKey = (ref: ChannelRef): string => `${ref.platform}:${ref.chat}`;
