import type { webApi } from '@slack/bolt';
import { callSlack } from './api-errors.js';

/** Who the bot is in its workspace (from auth.test). */
export interface BotIdentity {
  /** The bot's user id: what `<@…>` mentions of it carry. */
  userId: string;
  /** The bot id on messages it posts. */
  botId: string;
  teamId: string;
}

/** auth.test once, shared by every caller; a failure is not cached, so the next call tries again. */
export function identityLoader(client: webApi.WebClient): () => Promise<BotIdentity> {
  let pending: Promise<BotIdentity> | undefined;
  const load = async (): Promise<BotIdentity> => {
    const result = await callSlack('auth.test', () => client.auth.test());
    const { user_id: userId, bot_id: botId, team_id: teamId } = result;
    if (userId === undefined || teamId === undefined) {
      throw new Error('Slack auth.test did not name the bot user and team: is SLACK_BOT_TOKEN a bot token?');
    }
    return { userId, botId: botId ?? '', teamId };
  };
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
