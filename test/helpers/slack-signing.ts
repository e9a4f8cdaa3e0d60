import { createHmac } from 'node:crypto';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Extra headers, e.g. `x-slack-retry-num`. */
  headers?: Record<string, string>;
}

/** Slack's v0 signature: `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function signed(secret: string, body: string, contentType: string, options: SignOptions): SignedRequest {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, body),
      ...options.headers,
    },
  };
}

/** An Events API delivery (JSON), signed as Slack signs it. */
export function signJson(secret: string, payload: unknown, options: SignOptions = {}): SignedRequest {
  return signed(secret, JSON.stringify(payload), 'application/json', options);
}

/** A slash command or interactivity delivery (form-encoded), signed as Slack signs it. */
export function signForm(
  secret: string,
  fields: Record<string, string>,
  options: SignOptions = {},
): SignedRequest {
  return signed(secret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
}
