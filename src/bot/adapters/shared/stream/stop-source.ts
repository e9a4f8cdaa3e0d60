import type { Logger } from '../../../../log/logger.js';

/**
 * Stops the generation behind `source` (its `return()`): called when a reply stream ends, so an
 * answer that could not be delivered is not generated on. A no-op after the last chunk.
 */
export async function stopSource(source: AsyncIterator<string>, log: Logger): Promise<void> {
  await Promise.resolve(source.return?.()).catch((error: unknown) => {
    log.debug({ err: error }, 'stopping the generation failed');
  });
}
