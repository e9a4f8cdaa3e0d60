import type { KeyValueStore } from '../../../../storage/kv/types.js';

const PREFIX = 'lark:stopped:';
/** Long enough for the stopped answer to end (it stops within a second); short enough to cost nothing. */
const TTL_MS = 10 * 60_000;

/**
 * Which answer cards had their Stop button pressed, in the shared KV store: the press may land on
 * another replica than the one streaming the card, which reads it when the answer ends to mark the
 * card as stopped (and offer no feedback on it).
 */
export class StopMarks {
  constructor(private readonly kv: KeyValueStore) {}

  async mark(messageId: string): Promise<void> {
    await this.kv.set(PREFIX + messageId, '1', TTL_MS);
  }

  /** Whether any of these cards was stopped; a store that cannot be read says no. */
  async any(messageIds: readonly string[]): Promise<boolean> {
    for (const id of messageIds) {
      if ((await this.kv.get(PREFIX + id).catch(() => null)) !== null) return true;
    }
    return false;
  }
}
