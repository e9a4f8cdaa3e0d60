import type { KeyValueStore } from '../../../storage/kv/types.js';

/**
 * Threads the bot was mentioned in: later messages there are answered without a new mention.
 * Kept in the shared KV store, so every replica knows them; each answer renews the TTL.
 */
export class FollowedThreads {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
  ) {
    if (ttlMs <= 0) throw new RangeError('thread TTL must be positive');
  }

  follow(team: string, channel: string, thread: string): Promise<void> {
    return this.kv.set(key(team, channel, thread), '1', this.ttlMs);
  }

  async isFollowed(team: string, channel: string, thread: string): Promise<boolean> {
    return (await this.kv.get(key(team, channel, thread))) !== null;
  }
}

function key(team: string, channel: string, thread: string): string {
  return `slack:thread:${team}:${channel}:${thread}`;
}
