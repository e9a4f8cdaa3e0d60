import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export interface SignedLarkRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LarkSignOptions {
  /** Unix seconds, as a string in the header; default now. */
  timestamp?: number;
  nonce?: string;
  /** Extra headers (they win over the computed ones). */
  headers?: Record<string, string>;
}

/**
 * Encrypts an event as Lark does: AES-256-CBC with key = SHA-256(encrypt key), a random 16-byte
 * IV prepended to the ciphertext, base64 of the two → `{"encrypt": "…"}`.
 */
export function encryptEvent(encryptKey: string, payload: unknown): { encrypt: string } {
  return { encrypt: encryptText(encryptKey, JSON.stringify(payload)) };
}

/** The `encrypt` field for any plaintext (JSON or not): base64 of a random IV and AES-256-CBC. */
export function encryptText(encryptKey: string, text: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, encrypted]).toString('base64');
}

/** `X-Lark-Signature`: hex SHA-256 of timestamp + nonce + encrypt key + body. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

/** The headers Lark sends with `body`, signed with the encrypt key. */
export function signBody(encryptKey: string, body: string, options: LarkSignOptions = {}): SignedLarkRequest {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomBytes(8).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': larkSignature(timestamp, nonce, encryptKey, body),
      ...options.headers,
    },
  };
}

/** An event exactly as Lark delivers it to a webhook with an encrypt key: encrypted, then signed. */
export function encryptAndSign(
  encryptKey: string,
  payload: unknown,
  options: LarkSignOptions = {},
): SignedLarkRequest {
  return signBody(encryptKey, JSON.stringify(encryptEvent(encryptKey, payload)), options);
}
