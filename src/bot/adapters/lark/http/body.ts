import type { IncomingMessage } from 'node:http';
import { readBoundedBody } from '../../../../util/bounded-body.js';
import { rawBodyOf } from '../../../../util/raw-body.js';

/** Largest body read here when the app's JSON parser did not read it (another content type). */
export const MAX_LARK_BODY_BYTES = 1024 * 1024;

export type RawBody =
  | { kind: 'ok'; raw: Buffer; body: unknown }
  | { kind: 'too_large'; drained: boolean }
  | { kind: 'consumed' };

/**
 * The exact bytes of a request (for the signature) and its parsed JSON: from the app's JSON parser
 * (`rawBodyOf`), or read here when it left the body alone.
 */
export async function readRawBody(req: IncomingMessage & { body?: unknown }): Promise<RawBody> {
  const parsed = rawBodyOf(req);
  if (parsed !== undefined) return { kind: 'ok', raw: parsed, body: req.body };
  if (req.readableEnded) return { kind: 'consumed' };
  const read = await readBoundedBody(req, MAX_LARK_BODY_BYTES);
  if (read.kind === 'too_large') return read;
  const { raw } = read;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    body = undefined;
  }
  return { kind: 'ok', raw, body };
}
