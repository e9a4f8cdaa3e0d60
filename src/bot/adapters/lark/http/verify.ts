import type { IncomingHttpHeaders } from 'node:http';
import { isRecord } from '../../../../util/is-record.js';
import type { RejectReason } from '../metrics.js';
import { larkSignature, sameSecret } from './crypto.js';

export interface VerifySettings {
  encryptKey?: string | undefined;
  verificationToken?: string | undefined;
  decrypt?: ((encrypt: string) => unknown) | undefined;
}

export type Verdict =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: RejectReason; status: 400 | 401 | 403 };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The verification token of an event: `header.token` (schema 2.0), else the top-level `token`. */
export function tokenOf(payload: Record<string, unknown>): string | undefined {
  const fromHeader = isRecord(payload.header) ? payload.header.token : undefined;
  const token = fromHeader ?? payload.token;
  return typeof token === 'string' ? token : undefined;
}

export function isChallenge(payload: Record<string, unknown>): boolean {
  return payload.type === 'url_verification';
}

/**
 * Checks a webhook delivery before anything reads it. With an encrypt key: the body must be
 * `{"encrypt": …}`, signed (`X-Lark-Signature` over the raw bytes; only a url_verification may come
 * unsigned) and decryptable. With a verification token: the decrypted event's token must match.
 */
export function verifyLarkRequest(
  settings: VerifySettings,
  headers: IncomingHttpHeaders,
  raw: Buffer,
  body: unknown,
): Verdict {
  if (!isRecord(body)) return { ok: false, reason: 'bad_body', status: 400 };
  let payload = body;
  if (settings.encryptKey !== undefined && settings.decrypt !== undefined) {
    const signature = header(headers, 'x-lark-signature');
    const timestamp = header(headers, 'x-lark-request-timestamp');
    const nonce = header(headers, 'x-lark-request-nonce');
    const signed = signature !== undefined && timestamp !== undefined && nonce !== undefined;
    if (signed && !sameSecret(larkSignature(timestamp, nonce, settings.encryptKey, raw), signature)) {
      return { ok: false, reason: 'bad_signature', status: 401 };
    }
    if (typeof body.encrypt !== 'string') return { ok: false, reason: 'not_encrypted', status: 400 };
    let decrypted: unknown;
    try {
      decrypted = settings.decrypt(body.encrypt);
    } catch {
      return { ok: false, reason: 'decrypt_failed', status: 400 };
    }
    if (!isRecord(decrypted)) return { ok: false, reason: 'decrypt_failed', status: 400 };
    if (!signed && !isChallenge(decrypted)) return { ok: false, reason: 'missing_signature', status: 401 };
    payload = decrypted;
  }
  if (settings.verificationToken !== undefined) {
    const token = tokenOf(payload);
    if (token === undefined || !sameSecret(token, settings.verificationToken)) {
      return { ok: false, reason: 'bad_token', status: 403 };
    }
  }
  return { ok: true, payload };
}
