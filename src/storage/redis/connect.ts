import { Redis, type RedisOptions } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Logger } from '../../log/logger.js';
import { redisConnectionGauge } from '../../metrics/redis-connections.js';
import { throttled } from '../../util/throttled.js';
import { parseRedisUrl, type RedisTarget, scrub } from '../kv/redis-url.js';

/** Where every connection reports: errors to the app logger, its state to /metrics. Both optional. */
export interface RedisTelemetry {
  logger?: Logger | undefined;
  registry?: Registry | undefined;
}

/** What differs between teambot's connections; everything else is common to all of them. */
export interface RedisConnectionSettings {
  /** Prepended to every key by ioredis (KV_PREFIX); leave out where the caller prefixes its keys itself. */
  keyPrefix?: string;
  /** Milliseconds after which a command gives up, so no call waits forever (null: never, for blocking calls). */
  commandTimeoutMs: number | null;
  /** Milliseconds allowed for establishing a connection (default: ioredis', 10 s). */
  connectTimeoutMs?: number;
  /** Milliseconds to wait before reconnect attempt `times` (default: ioredis', 50 ms more each time up to 2 s). */
  reconnectDelayMs?: (times: number) => number;
  /** How often a command is retried across reconnects before it fails (null: until it succeeds, as BullMQ's worker wants). */
  maxRetriesPerRequest: number | null;
  /** Connect on the first command instead of at once (default false). */
  lazyConnect?: boolean;
}

/** How long an outage's repeated, identical errors stay quiet in the log. */
const ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * The one place teambot opens Redis connections. REDIS_URL is parsed once, here (redis://,
 * rediss:// and unix:// with credentials and a db); each connection gets the common options
 * (the address and credentials, the offline queue, a command timeout), its own `connectionName` (seen in
 * CLIENT LIST as `teambot:<name>`), its errors logged through the app logger with that name
 * (once per minute while the message stays the same) and the gauge
 * `teambot_redis_connection_up{name}`.
 *
 * Which connections there are, and why not fewer (REDIS_URL set):
 * - `kv`: the key-value store (conversations, dedup, overrides, tasks, the cache). Its commands may
 *   wait 5 s, retry twice and are namespaced by ioredis' keyPrefix.
 * - `limits`: the chat rate limiter's Lua scripts. A decision must fail fast (1 s, one retry) so
 *   the fail mode applies quickly; sharing `kv`'s connection would make every KV command fail at
 *   1 s or every decision wait 5 s, since ioredis sets timeouts per connection.
 * - `http-limits`: the HTTP limiters (rate-limit-redis). Same timeouts as `limits`, but its store
 *   prefixes keys itself and sends raw commands, so it must not carry `limits`' keyPrefix.
 * - `turns`: the durable turn queue's commands and scripts (BullMQ Queue; docs/turns.md).
 * - `turns-worker`: BullMQ's worker, which blocks (BZPOPMIN): no command timeout, endless retries.
 * - `stops` / `stops-sub`: stop requests published to every replica, and the subscription to them.
 * Only `turns-worker` blocks and `stops-sub` subscribes; each has a connection of its own, since
 * such a connection can run nothing else meanwhile.
 */
export class RedisConnector {
  /** The parsed REDIS_URL: connection options, a display form without credentials, the secrets. */
  readonly target: RedisTarget;
  readonly #telemetry: RedisTelemetry;

  constructor(url: string, telemetry: RedisTelemetry = {}) {
    this.target = parseRedisUrl(url);
    this.#telemetry = telemetry;
  }

  /** A new connection named `name` (`kv`, `limits`, `http-limits`). */
  open(name: string, settings: RedisConnectionSettings): Redis {
    const options: RedisOptions = {
      ...this.target.connection,
      connectionName: `teambot:${name}`,
      ...(settings.keyPrefix === undefined ? {} : { keyPrefix: settings.keyPrefix }),
      lazyConnect: settings.lazyConnect ?? false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: settings.maxRetriesPerRequest,
      ...(settings.commandTimeoutMs === null ? {} : { commandTimeout: settings.commandTimeoutMs }),
      ...(settings.connectTimeoutMs === undefined ? {} : { connectTimeout: settings.connectTimeoutMs }),
      ...(settings.reconnectDelayMs === undefined ? {} : { retryStrategy: settings.reconnectDelayMs }),
    };
    const redis = new Redis(options);
    this.#report(name, redis);
    return redis;
  }

  #report(name: string, redis: Redis): void {
    const { logger, registry } = this.#telemetry;
    if (registry !== undefined) {
      const up = redisConnectionGauge(registry).labels({ name });
      up.set(0);
      redis.on('ready', () => up.set(1));
      for (const event of ['close', 'end', 'error'] as const) redis.on(event, () => up.set(0));
    }
    if (logger !== undefined) {
      const log = throttled(ERROR_LOG_INTERVAL_MS, (error) =>
        logger.warn(
          { redis: name, target: this.target.display, reason: scrub(error.message, this.target.secrets) },
          'redis connection error',
        ),
      );
      redis.on('error', (error: Error) => log(error));
    } else {
      // Without a listener ioredis prints every error to the console; the owners keep their own.
      redis.on('error', () => {});
    }
  }
}

/** Where a store gets its connection: a REDIS_URL of its own, or the app's shared connector. */
export type RedisSource =
  | { url: string; connector?: undefined }
  | { connector: RedisConnector; url?: undefined };

/** The connector of a source (a fresh one, without telemetry, for a bare URL). */
export function connectorOf(source: RedisSource): RedisConnector {
  return source.connector === undefined ? new RedisConnector(source.url) : source.connector;
}
