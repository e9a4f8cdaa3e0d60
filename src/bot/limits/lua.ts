/**
 * The limiter's Lua scripts (GCRA: each key holds a theoretical arrival time in ms). ARGV[1] is the
 * clock in ms, or 0 for Redis TIME (one clock for every replica). A window is four ARGV:
 * emission interval (period / limit), period, cost, consume (1/0). Burst = limit.
 */

const CLOCK = `
local now = tonumber(ARGV[1])
if now <= 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end`;

/**
 * KEYS: the windows' keys, then (optionally) the in-flight lease's sorted set.
 * ARGV: now, window count, the windows, then lease max, lease id, lease ttl (when a lease key is given).
 * Returns {allowed, retryAfterMs, deniedBy (-2 none, -1 lease, else window index), remaining (-1: no windows)}.
 * All checks run before any write: a denied request consumes nothing.
 */
export const DECIDE_SCRIPT = `${CLOCK}
local n = tonumber(ARGV[2])
local writes = {}
local remaining = -1
local retry = 0
local denied = -2
for i = 1, n do
  local base = 2 + (i - 1) * 4
  local interval = tonumber(ARGV[base + 1])
  local period = tonumber(ARGV[base + 2])
  local cost = tonumber(ARGV[base + 3])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now) or now
  if tat < now then tat = now end
  local newTat = tat + cost * interval
  local wait = newTat - period - now
  if wait > 0.001 then
    if denied == -2 or wait > retry then retry = wait; denied = i - 1 end
  else
    if ARGV[base + 4] == '1' and cost > 0 then writes[i] = newTat end
    local left = math.floor((now + period - newTat) / interval + 0.001)
    if remaining < 0 or left < remaining then remaining = left end
  end
end
local leaseArg = 3 + n * 4
local leaseKey = KEYS[n + 1]
if leaseKey then
  redis.call('ZREMRANGEBYSCORE', leaseKey, '-inf', now)
  if denied == -2 and redis.call('ZCARD', leaseKey) >= tonumber(ARGV[leaseArg]) then denied = -1 end
end
if denied ~= -2 then return {0, math.ceil(retry), denied, 0} end
for i = 1, n do
  local tat = writes[i]
  if tat then redis.call('SET', KEYS[i], tat, 'PX', math.max(1, math.ceil(tat - now))) end
end
if leaseKey then
  local ttl = tonumber(ARGV[leaseArg + 2])
  redis.call('ZADD', leaseKey, now + ttl, ARGV[leaseArg + 1])
  redis.call('PEXPIRE', leaseKey, ttl)
end
return {1, 0, -2, remaining}`;

/** KEYS: windows; ARGV: now, count, windows (as above). Adds every cost, allowed or not. */
export const CHARGE_SCRIPT = `${CLOCK}
local n = tonumber(ARGV[2])
for i = 1, n do
  local base = 2 + (i - 1) * 4
  local interval = tonumber(ARGV[base + 1])
  local cost = tonumber(ARGV[base + 3])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now) or now
  if tat < now then tat = now end
  tat = tat + cost * interval
  if cost > 0 then redis.call('SET', KEYS[i], tat, 'PX', math.max(1, math.ceil(tat - now))) end
end
return n`;

/** KEYS: windows; ARGV: now, count, windows. Returns what is left in each window; writes nothing. */
export const PEEK_SCRIPT = `${CLOCK}
local n = tonumber(ARGV[2])
local out = {}
for i = 1, n do
  local base = 2 + (i - 1) * 4
  local interval = tonumber(ARGV[base + 1])
  local period = tonumber(ARGV[base + 2])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now) or now
  if tat < now then tat = now end
  local left = math.floor((now + period - tat) / interval + 0.001)
  if left < 0 then left = 0 end
  out[i] = left
end
return out`;
