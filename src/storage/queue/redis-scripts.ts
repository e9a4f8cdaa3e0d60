import type { Redis } from 'ioredis';

/**
 * Queues a turn in its conversation's list unless its id was seen: KEYS seen, pending;
 * ARGV entry, seen ttl ms. Returns -1 for a repeat, else how many turns waited before it.
 */
const ENQUEUE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) == false then return -1 end
return redis.call('RPUSH', KEYS[2], ARGV[1]) - 1
`;

/**
 * A batch ended: its entries leave the conversation's list, and (interrupt) its payloads wait in
 * the carry list for the next batch. KEYS pending, carry; ARGV count of entries, entries…, payloads….
 */
const FINISH = `
local n = tonumber(ARGV[1])
for i = 2, n + 1 do redis.call('LREM', KEYS[1], 1, ARGV[i]) end
for i = n + 2, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return 1
`;

/** Takes the carried payloads: KEYS carry. */
const TAKE_CARRY = `
local carried = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return carried
`;

export interface TurnScripts {
  enqueue(seenKey: string, pendingKey: string, entry: string, seenTtlMs: number): Promise<number>;
  finish(pendingKey: string, carryKey: string, entries: string[], carried: string[]): Promise<void>;
  takeCarry(carryKey: string): Promise<string[]>;
}

export function turnScripts(redis: Redis): TurnScripts {
  return {
    enqueue: async (seenKey, pendingKey, entry, seenTtlMs) =>
      Number(await redis.eval(ENQUEUE, 2, seenKey, pendingKey, entry, String(seenTtlMs))),
    finish: async (pendingKey, carryKey, entries, carried) => {
      await redis.eval(FINISH, 2, pendingKey, carryKey, String(entries.length), ...entries, ...carried);
    },
    takeCarry: async (carryKey) => (await redis.eval(TAKE_CARRY, 1, carryKey)) as string[],
  };
}

/** A conversation-list entry: `<enqueued at>|<turn id>` (unique, and ordered as queued). */
export function entryOf(id: string, at: number): string {
  return `${at}|${id}`;
}

export function readEntry(entry: string): { id: string; at: number } {
  const bar = entry.indexOf('|');
  return { at: Number(entry.slice(0, bar)), id: entry.slice(bar + 1) };
}
