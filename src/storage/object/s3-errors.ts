import { ObjectStoreError } from './types.js';

/** True for the SDK's "no such object" answers (GetObject: NoSuchKey; HeadObject: a bare 404). */
export function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/** An ObjectStoreError('unavailable') naming the bucket, with the SDK's error as its cause. */
export function unavailable(bucket: string, action: string, error: unknown): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const e = error as { name?: string; message?: string; code?: string };
  const reason = [e.code ?? e.name, e.message].filter(Boolean).join(': ') || String(error);
  const wrapped = new ObjectStoreError(
    'unavailable',
    `object storage (bucket ${bucket}) failed to ${action}: ${reason}`,
  );
  wrapped.cause = error;
  return wrapped;
}
