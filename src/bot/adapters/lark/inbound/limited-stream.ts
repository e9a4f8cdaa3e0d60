import type { Readable } from 'node:stream';

/** An attachment bigger than the adapter reads. */
export class AttachmentTooLargeError extends Error {
  override readonly name = 'AttachmentTooLargeError';
  constructor(
    readonly what: string,
    readonly limit: number,
  ) {
    super(`${what} is larger than ${limit} bytes; not reading further`);
  }
}

/**
 * A web ReadableStream over a Node stream that fails with AttachmentTooLargeError (and stops
 * reading the download) once more than `limit` bytes came through. Cancelling it, or aborting
 * `signal`, ends the download.
 */
export function limitedStream(
  source: Readable,
  limit: number,
  what: string,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]();
  let seen = 0;
  const onAbort = () =>
    source.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  const done = () => signal?.removeEventListener('abort', onAbort);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: IteratorResult<unknown>;
      try {
        next = await chunks.next();
      } catch (error) {
        done();
        controller.error(error);
        return;
      }
      if (next.done) {
        done();
        controller.close();
        return;
      }
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : (next.value as Buffer);
      seen += chunk.length;
      if (seen > limit) {
        done();
        source.destroy();
        controller.error(new AttachmentTooLargeError(what, limit));
        return;
      }
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    cancel() {
      done();
      source.destroy();
    },
  });
}
