import type { RedisOptions } from 'ioredis';
import { KeyValueStoreError } from './types.js';

export interface RedisTarget {
  /** Connection options for ioredis (host/port/tls/path, credentials, db). */
  connection: RedisOptions;
  /** The address without credentials, safe for messages and logs. */
  display: string;
  /** Credentials present in the URL, scrubbed from any message that might echo them. */
  secrets: string[];
}

/** Reads `redis://`, `rediss://` or `unix:///path/to.sock` URLs (credentials and `?db=` allowed). */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new KeyValueStoreError('REDIS_URL is not a valid URL (expected redis://, rediss:// or unix://)');
  }
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const credentials: RedisOptions = {
    ...(username !== '' ? { username } : {}),
    ...(password !== '' ? { password } : {}),
  };
  const secrets = [password, parsed.password].filter((s) => s !== '');
  const dbParam = parsed.searchParams.get('db');
  if (parsed.protocol === 'unix:') {
    const path = decodeURIComponent(parsed.pathname);
    if (path === '' || path === '/') throw new KeyValueStoreError('unix:// Redis URL needs a socket path');
    return { connection: { ...credentials, path, db: parseDb(dbParam) }, display: `unix://${path}`, secrets };
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new KeyValueStoreError(
      `unsupported Redis URL scheme "${parsed.protocol}" (expected redis:, rediss: or unix:)`,
    );
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const db = parseDb(parsed.pathname.length > 1 ? parsed.pathname.slice(1) : dbParam);
  const tls = parsed.protocol === 'rediss:' ? { tls: {} } : {};
  return {
    connection: { ...credentials, ...tls, host, port, db },
    display: `${parsed.protocol}//${parsed.hostname || host}:${port}`,
    secrets,
  };
}

function parseDb(value: string | null): number {
  if (value === null || value === '') return 0;
  if (!/^\d+$/.test(value)) throw new KeyValueStoreError(`Redis database must be a number, got "${value}"`);
  return Number(value);
}

/** Replaces every occurrence of the given secrets in a message. */
export function scrub(message: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join('***'), message);
}
