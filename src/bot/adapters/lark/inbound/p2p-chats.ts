import type { KeyValueStore } from '../../../../storage/kv/types.js';

/** How long a user's 1:1 chat id is remembered after their last message. */
export const P2P_CHAT_TTL_MS = 30 * 24 * 3600_000;

/**
 * The 1:1 chat of each user, from their messages: bot menu events name only the user, while
 * commands such as reset act on the conversation, which is keyed by the chat.
 */
export class P2pChats {
  constructor(private readonly kv: KeyValueStore) {}

  remember(tenant: string, openId: string, chatId: string): Promise<void> {
    return this.kv.set(key(tenant, openId), chatId, P2P_CHAT_TTL_MS);
  }

  async lookup(tenant: string, openId: string): Promise<string | undefined> {
    return (await this.kv.get(key(tenant, openId))) ?? undefined;
  }
}

function key(tenant: string, openId: string): string {
  return `lark:p2p:${tenant}:${openId}`;
}
