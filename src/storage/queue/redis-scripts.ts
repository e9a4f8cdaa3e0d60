import type { Redis } from 'ioredis';

/**
 * Queues a turn in its conversation's sorted set (by the time the platform gives the message)
 * unless its id was seen: KEYS seen, pending; ARGV entry, seen ttl ms, time. Returns -1 for a
 * repeat, else how many turns waited before it.
 */
const ENQUEUE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) == false then return -1 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return redis.call('ZCARD', KEYS[2]) - 1
`;

/**
 * A batch ended: its entries leave the conversation's list, and (interrupt) its payloads wait in
 * the carry list for the next batch. KEYS pending, carry; ARGV count of entries, entries…, payloads….
 */
const FINISH = `
local n = tonumber(ARGV[1])
for i = 2, n + 1 do redis.call('ZREM', KEYS[1], ARGV[i]) end
for i = n + 2, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
return 1
`;

/** Takes the carried payloads: KEYS carry. */
const TAKE_CARRY = `
local carried = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return carried
`;

/** Claims (or renews) a conversation's running mark for a job: KEYS running; ARGV job id, ttl ms. */
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** Drops a job's running mark: KEYS running; ARGV job id. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

export interface TurnScripts {
  /** True when the conversation's running mark is (now) the job's. */
  claim(runningKey: string, jobId: string, ttlMs: number): Promise<boolean>;
  release(runningKey: string, jobId: string): Promise<void>;
  enqueue(seenKey: string, pendingKey: string, entry: string, seenTtlMs: number, at: number): Promise<number>;
  finish(pendingKey: string, carryKey: string, entries: string[], carried: string[]): Promise<void>;
  takeCarry(carryKey: string): Promise<string[]>;
}

export function turnScripts(redis: Redis): TurnScripts {
  return {
    claim: async (runningKey, jobId, ttlMs) =>
      Number(await redis.eval(CLAIM, 1, runningKey, jobId, String(ttlMs))) === 1,
    release: async (runningKey, jobId) => {
      await redis.eval(RELEASE, 1, runningKey, jobId);
    },
    enqueue: async (seenKey, pendingKey, entry, seenTtlMs, at) =>
      Number(await redis.eval(ENQUEUE, 2, seenKey, pendingKey, entry, String(seenTtlMs), String(at))),
    finish: async (pendingKey, carryKey, entries, carried) => {
      await redis.eval(FINISH, 2, pendingKey, carryKey, String(entries.length), ...entries, ...carried);
    },
    takeCarry: async (carryKey) => (await redis.eval(TAKE_CARRY, 1, carryKey)) as string[],
  };
}

/** A conversation's entry: `<time>|<turn id>` (unique; its score is the time). */
export function entryOf(id: string, at: number): string {
  return `${at}|${id}`;
}

export function readEntry(entry: string): { id: string; at: number } {
  const bar = entry.indexOf('|');
  return { at: Number(entry.slice(0, bar)), id: entry.slice(bar + 1) };
}
