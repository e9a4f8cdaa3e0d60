import type { Redis } from 'ioredis';
import { errorMessage } from '../../util/error-message.js';
import { connectorOf, type RedisSource } from '../redis/connect.js';
import { checkIncrement, checkMaxLength, checkTtl } from './options.js';
import { INCREMENT_SCRIPT, LIST_PUSH_SCRIPT } from './redis-scripts.js';
import { type RedisTarget, scrub } from './redis-url.js';
import { type KeyValueStore, KeyValueStoreError, type ListPushOptions } from './types.js';

/**
 * `url`: `redis://[user:password@]host:port[/db]`, `rediss://…` or `unix:///path/to.sock`; or
 * `connector`: the app's RedisConnector (REDIS_URL parsed once, connections named and reported).
 */
export type RedisKeyValueStoreOptions = RedisSource & {
  /** Prepended to every key (ioredis `keyPrefix`). */
  prefix: string;
  /** Milliseconds allowed for establishing a connection. */
  connectTimeoutMs?: number;
  /** Milliseconds after which any command gives up, so no call waits forever. */
  commandTimeoutMs?: number;
};

export type RedisErrorListener = (error: KeyValueStoreError) => void;

/** A KeyValueStore on Redis (ioredis); every operation is one atomic command or script. */
export class RedisKeyValueStore implements KeyValueStore {
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #target: RedisTarget;
  readonly #listeners = new Set<RedisErrorListener>();
  readonly #commandTimeoutMs: number;
  #lastConnectionError: string | undefined;
  #closed = false;

  constructor(options: RedisKeyValueStoreOptions) {
    const connector = connectorOf(options);
    this.#target = connector.target;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    this.#redis = connector.open('kv', {
      keyPrefix: options.prefix,
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      connectTimeoutMs: options.connectTimeoutMs ?? 3_000,
      commandTimeoutMs: this.#commandTimeoutMs,
    });
    this.#redis.on('error', (error: Error) => {
      this.#lastConnectionError = error.message;
      const wrapped = this.#unreachable(error.message);
      for (const listener of this.#listeners) listener(wrapped);
    });
    this.#redis.on('ready', () => {
      this.#lastConnectionError = undefined;
    });
  }

  /** Connection problems, as they happen (ioredis keeps reconnecting). Without a listener they are only kept for messages. */
  on(event: 'error', listener: RedisErrorListener): this {
    if (event === 'error') this.#listeners.add(listener);
    return this;
  }

  off(event: 'error', listener: RedisErrorListener): this {
    if (event === 'error') this.#listeners.delete(listener);
    return this;
  }

  get(key: string): Promise<string | null> {
    return this.#run('GET', (r) => r.get(key));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = checkTtl(ttlMs);
    await this.#run('SET', (r) => (ttl === undefined ? r.set(key, value) : r.set(key, value, 'PX', ttl)));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    const reply = await this.#run('SET NX', (r) =>
      ttl === undefined ? r.set(key, value, 'NX') : r.set(key, value, 'PX', ttl, 'NX'),
    );
    return reply === 'OK';
  }

  async delete(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return this.#run('DEL', (r) => r.del(...keys));
  }

  async increment(key: string, by = 1, ttlMs?: number): Promise<number> {
    const step = checkIncrement(by);
    const ttl = checkTtl(ttlMs) ?? 0;
    const reply = await this.#run('INCRBY', (r) =>
      r.eval(INCREMENT_SCRIPT, 1, key, String(step), String(ttl)),
    );
    return Number(reply);
  }

  async ttl(key: string): Promise<number | null> {
    const ms = await this.#run('PTTL', (r) => r.pttl(key));
    return ms < 0 ? null : ms;
  }

  async listPush(key: string, values: string[], options: ListPushOptions = {}): Promise<number> {
    const maxLength = checkMaxLength(options.maxLength);
    const ttl = checkTtl(options.ttlMs);
    const args = [String(maxLength ?? -1), String(ttl ?? 0), ...values];
    return Number(await this.#run('RPUSH', (r) => r.eval(LIST_PUSH_SCRIPT, 1, key, ...args)));
  }

  listRange(key: string, start = 0, stop = -1): Promise<string[]> {
    return this.#run('LRANGE', (r) => r.lrange(key, start, stop));
  }

  async ping(): Promise<void> {
    await this.#run('PING', (r) => r.ping());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#redis.status !== 'ready') {
      this.#redis.disconnect();
      return;
    }
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  async #run<T>(command: string, call: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.#closed)
      throw new KeyValueStoreError(`Redis key-value store for ${this.#target.display} is closed`);
    try {
      return await call(this.#redis);
    } catch (error) {
      throw this.#wrap(command, error);
    }
  }

  #wrap(command: string, error: unknown): KeyValueStoreError {
    const message = errorMessage(error);
    if (error instanceof Error && error.name === 'ReplyError') {
      const text = scrub(
        `Redis at ${this.#target.display} rejected ${command}: ${message}`,
        this.#target.secrets,
      );
      return new KeyValueStoreError(text, { cause: error });
    }
    const timedOut =
      message === 'Command timed out' ? `no answer within ${this.#commandTimeoutMs} ms` : message;
    return this.#unreachable(this.#lastConnectionError ?? timedOut, error);
  }

  #unreachable(reason: string, cause?: unknown): KeyValueStoreError {
    const text = scrub(`Redis at ${this.#target.display} is unreachable: ${reason}`, this.#target.secrets);
    return new KeyValueStoreError(text, cause === undefined ? undefined : { cause });
  }
}
