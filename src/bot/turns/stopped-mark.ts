import { RESTART_CHUNK } from '../../inference/types.js';
import { StoppedByUser } from './stop-signals.js';

/** The one mark an answer stopped on request ends with, on every platform. */
export const STOPPED_MARK = '_(stopped)_';

/** Whether `signal` fired because a user asked to stop (not a shutdown). */
export function stoppedByUser(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof StoppedByUser;
}

/**
 * The answer's chunks, ending with STOPPED_MARK when `signal` stopped it: what was shown stays,
 * and the mark follows it (alone when nothing was shown yet).
 */
export async function* markWhenStopped(
  chunks: AsyncIterable<string>,
  signal: AbortSignal,
): AsyncGenerator<string> {
  let shown = false;
  for await (const chunk of chunks) {
    shown = chunk === RESTART_CHUNK ? false : shown || chunk.trim() !== '';
    yield chunk;
  }
  if (stoppedByUser(signal)) yield shown ? `\n\n${STOPPED_MARK}` : STOPPED_MARK;
}
