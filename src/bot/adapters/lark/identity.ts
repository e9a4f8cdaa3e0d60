import type { BotInfo, LarkApi } from './api/lark-api.js';

/**
 * bot/v3/info once, shared by every caller: the bot's open_id decides whether a group message
 * mentions it. A failure is not cached, so the next call tries again.
 */
export function identityLoader(api: LarkApi): () => Promise<BotInfo> {
  let pending: Promise<BotInfo> | undefined;
  return () => {
    pending ??= api.botInfo().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
