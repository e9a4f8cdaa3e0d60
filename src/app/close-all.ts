import type { Logger } from '../log/logger.js';

/** Closes every part at once; a part that fails to close is logged, never stops the others. */
export async function closeAll(logger: Logger, closing: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(closing);
  for (const result of results) {
    if (result.status === 'rejected') logger.warn({ err: result.reason }, 'error while closing');
  }
}
