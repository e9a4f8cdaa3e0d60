import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/** How much of an oversize body is still read (and thrown away) so that its sender can read the 413. */
export const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

export type BoundedBody = { kind: 'ok'; raw: Buffer } | { kind: 'too_large'; drained: boolean };

/**
 * Reads a request body of at most `limit` bytes. A longer one is read on and discarded up to
 * `discardLimit` more bytes (clients that are still sending when the answer comes often miss
 * it), never destroying the request: the caller answers 413 with `tooLarge`.
 */
export function readBoundedBody(
  req: IncomingMessage,
  limit: number,
  discardLimit = DISCARD_LIMIT_BYTES,
): Promise<BoundedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BoundedBody) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (result.kind === 'too_large' && !result.drained) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit + discardLimit) finish({ kind: 'too_large', drained: false });
    };
    const onEnd = () =>
      finish(
        size <= limit ? { kind: 'ok', raw: Buffer.concat(chunks) } : { kind: 'too_large', drained: true },
      );
    const onError = (error: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      reject(error);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Answers 413. When the rest of the body was not read, the connection is closed once the answer
 * is out (`Connection: close`), rather than reading an unbounded upload or cutting it mid-answer.
 */
export function tooLarge(
  res: ServerResponse,
  drained: boolean,
  body = '{"error":"request body too large"}',
): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!drained) headers.connection = 'close';
  res.writeHead(413, headers);
  res.end(body);
}

/** Declared bodies beyond this are refused before a byte is read, whatever the route's own limit. */
export const HUGE_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Refuses a request whose `Content-Length` passes `maxBytes` at once (413, then the connection
 * closes), so that no parser reads, or drains, an upload of any size.
 */
export function refuseHugeBodies(maxBytes = HUGE_BODY_BYTES): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(res, false);
    next();
  };
}
