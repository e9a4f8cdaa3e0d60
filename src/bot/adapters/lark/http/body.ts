import type { IncomingMessage } from 'node:http';
import { rawBodyOf } from '../../../../util/raw-body.js';

/** Largest body read here when the app's JSON parser did not read it (another content type). */
export const MAX_LARK_BODY_BYTES = 1024 * 1024;

export type RawBody =
  | { kind: 'ok'; raw: Buffer; body: unknown }
  | { kind: 'too_large' }
  | { kind: 'consumed' };

/**
 * The exact bytes of a request (for the signature) and its parsed JSON: from the app's JSON parser
 * (`rawBodyOf`), or read here when it left the body alone.
 */
export async function readRawBody(req: IncomingMessage & { body?: unknown }): Promise<RawBody> {
  const parsed = rawBodyOf(req);
  if (parsed !== undefined) return { kind: 'ok', raw: parsed, body: req.body };
  if (req.readableEnded) return { kind: 'consumed' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_LARK_BODY_BYTES) return { kind: 'too_large' };
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    body = undefined;
  }
  return { kind: 'ok', raw, body };
}
