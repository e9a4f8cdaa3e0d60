import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../log/logger.js';
import type { KeyValueStore } from '../../../storage/kv/types.js';
import { slackErrorCode } from './api-errors.js';

export type NameLookup = (userIds: readonly string[]) => Promise<Map<string, string>>;

const NAME_TTL_MS = 24 * 3600_000;

/**
 * Display names for user ids (users.info), cached in the KV store for a day, unknown users
 * known to be unknown included (cached as ''). A lookup that fails only leaves that id without a name.
 */
export function userNames(client: webApi.WebClient, kv: KeyValueStore, log: Logger): NameLookup {
  const one = async (id: string): Promise<string> => {
    const key = `slack:user-name:${id}`;
    const cached = await kv.get(key).catch(() => null);
    if (cached !== null) return cached;
    let name = '';
    try {
      const { user } = await client.users.info({ user: id });
      name = user?.profile?.display_name || user?.real_name || user?.name || '';
    } catch (error) {
      log.debug({ err: error, user: id }, 'users.info failed; the user keeps an id for a name');
      if (slackErrorCode(error) !== 'user_not_found') return '';
    }
    await kv.set(key, name, NAME_TTL_MS).catch(() => undefined);
    return name;
  };
  return async (userIds) => {
    const unique = [...new Set(userIds)];
    const names = await Promise.all(unique.map(one));
    return new Map(unique.flatMap((id, i) => (names[i] ? [[id, names[i]] as [string, string]] : [])));
  };
}
