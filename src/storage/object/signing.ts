import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '../../util/system-error.js';

const SECRET_FILE = '.url-signing-secret';

/** The hex HMAC-SHA256 that authorizes reading `key` until `expires` (unix seconds). */
export function objectSignature(key: string, expires: number, secret: string): string {
  return createHmac('sha256', secret).update(`${key}\n${expires}`).digest('hex');
}

export interface SignObjectUrlOptions {
  /** Where the server is reached, e.g. PUBLIC_URL; a trailing '/' is ignored. */
  publicBaseUrl: string;
  key: string;
  expiresInSeconds: number;
  secret: string;
  /** The clock in milliseconds. */
  now?: number;
}

/** `${publicBaseUrl}/files/<key>?expires=<unix seconds>&sig=<hex hmac-sha256>` */
export function signObjectUrl(options: SignObjectUrlOptions): string {
  if (!Number.isFinite(options.expiresInSeconds) || options.expiresInSeconds <= 0) {
    throw new RangeError(`expiresInSeconds must be a positive number, got ${options.expiresInSeconds}`);
  }
  const now = options.now ?? Date.now();
  const expires = Math.floor(now / 1000) + Math.ceil(options.expiresInSeconds);
  const sig = objectSignature(options.key, expires, options.secret);
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  return `${base}/files/${options.key}?expires=${expires}&sig=${sig}`;
}

/**
 * True when `sig` authorizes `key` until `expires` (unix seconds, as in the URL) and that moment is
 * still ahead of `now` (milliseconds). Compares in constant time.
 */
export function verifyObjectSignature(
  key: string,
  expires: string | number,
  sig: string,
  secret: string,
  now: number = Date.now(),
): boolean {
  const text = String(expires);
  if (!/^\d{1,12}$/.test(text) || !/^[0-9a-f]{64}$/.test(sig)) return false;
  const expiresAt = Number(text);
  if (expiresAt * 1000 <= now) return false;
  const expected = Buffer.from(objectSignature(key, expiresAt, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(sig, 'hex'));
}

/**
 * The secret for signed URLs: `configured` (URL_SIGNING_SECRET) when set, else the one kept in
 * `<dataDir>/.url-signing-secret`, created on first use (32 random bytes, hex, mode 0600). Creation
 * is atomic, so replicas sharing a data directory agree on one secret.
 */
export async function loadOrCreateSigningSecret(dataDir: string, configured?: string): Promise<string> {
  const given = configured?.trim();
  if (given) return given;
  const file = join(dataDir, SECRET_FILE);
  const existing = await readSecret(file);
  if (existing !== undefined) return existing;
  await mkdir(dataDir, { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const secret = randomBytes(32).toString('hex');
  await writeFile(temp, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
    return secret;
  } catch (error) {
    if (!hasCode(error, 'EEXIST')) throw error;
    const winner = await readSecret(file);
    if (winner === undefined) throw new Error(`could not read the URL signing secret in ${file}`);
    return winner;
  } finally {
    await rm(temp, { force: true });
  }
}

async function readSecret(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret === '') {
    throw new Error(
      `the URL signing secret file ${file} is empty: delete it to create a new one, or set URL_SIGNING_SECRET`,
    );
  }
  return secret;
}
