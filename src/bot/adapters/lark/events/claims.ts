import type { Logger } from '../../../../log/logger.js';
import type { KeyValueStore } from '../../../../storage/kv/types.js';

/**
 * Each Lark event is handled once, across redeliveries (Lark retries after 15 s, 5 min, 1 h and
 * 6 h) and replicas: the first to claim its event id in the shared KV store (SET NX) goes on. The
 * pipeline then dedups by message id as well. If the store fails, the event is handled (a rare
 * double answer beats a lost one).
 */
export class EventClaims {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {
    if (ttlMs <= 0) throw new RangeError('event TTL must be positive');
  }

  /** True when this call is the first for `eventId` (or the id is unknown). */
  async claim(workspace: string, eventId: string | undefined): Promise<boolean> {
    if (eventId === undefined || eventId === '') return true;
    try {
      return await this.kv.setIfAbsent(`lark:event:${workspace}:${eventId}`, '1', this.ttlMs);
    } catch (error) {
      this.log.warn({ err: error, eventId }, 'Lark event dedup check failed; handling the event anyway');
      return true;
    }
  }
}
