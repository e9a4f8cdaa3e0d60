import type { KeyValueStore } from '../../storage/kv/types.js';
import { type ChannelOverrides, channelOverridesSchema } from './schema.js';
import { type ChannelRef, channelKey } from './types.js';

const PREFIX = 'channel:';

/**
 * Admins' per-channel overrides in the key-value store (one JSON value per chat), read through on
 * every message so a change is in force on every replica at once.
 */
export class ChannelSettingsStore {
  constructor(private readonly kv: KeyValueStore) {}

  async get(ref: ChannelRef): Promise<ChannelOverrides> {
    const raw = await this.kv.get(PREFIX + channelKey(ref));
    if (raw === null) return {};
    try {
      const parsed = channelOverridesSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  /** Replaces the chat's overrides; none left removes the key. */
  async set(ref: ChannelRef, overrides: ChannelOverrides): Promise<void> {
    const kept = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    if (Object.keys(kept).length === 0) await this.kv.delete(PREFIX + channelKey(ref));
    else await this.kv.set(PREFIX + channelKey(ref), JSON.stringify(kept));
  }
}
