import type { IncomingMessage } from 'node:http';

const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/** Keeps the exact bytes of a request's body (the HTTP server's JSON parser calls it). */
export function keepRawBody(req: IncomingMessage, body: Buffer): void {
  rawBodies.set(req, body);
}

/**
 * The exact bytes of a JSON body the server parsed, for signature checks (Slack's v0 signature,
 * Lark's encrypt key) that must hash what was sent.
 */
export function rawBodyOf(req: IncomingMessage): Buffer | undefined {
  return rawBodies.get(req);
}
