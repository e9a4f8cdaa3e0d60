/**
 * Lua scripts that make multi-step operations atomic. Each fails before writing anything when the
 * key holds the wrong type, so no partial effect (such as a TTL on someone else's string) is left.
 */

/** KEYS[1] counter; ARGV: step, ttl ms (0: none). INCRBY, with PEXPIRE only if the key was new. */
export const INCREMENT_SCRIPT = `
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if existed == 0 and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

/**
 * KEYS[1] list; ARGV: maxLength (-1: none), ttl ms (0: none), then the values.
 * RPUSH (in batches, Lua's unpack is bounded), LTRIM to the newest maxLength, PEXPIRE; returns LLEN.
 */
export const LIST_PUSH_SCRIPT = `
local key = KEYS[1]
local maxLength = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
redis.call('LLEN', key)
for i = 3, #ARGV, 1000 do
  redis.call('RPUSH', key, unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
if maxLength == 0 then
  redis.call('DEL', key)
elseif maxLength > 0 then
  redis.call('LTRIM', key, -maxLength, -1)
end
if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
return redis.call('LLEN', key)`;
