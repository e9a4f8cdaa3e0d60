import { StoppedByUser } from './stop-signals.js';

/** Shown after the text of an answer stopped on request (what was shown stays). */
export const STOPPED_MARKER = '\n\n_(stopped)_';

/**
 * The answer's chunks, and the stopped marker after them when `signal` was aborted by a stop
 * request: every Replier shows it as the end of the answer, in the same message.
 */
export async function* markedWhenStopped(
  chunks: AsyncIterable<string>,
  signal: AbortSignal,
): AsyncGenerator<string> {
  yield* chunks;
  if (signal.aborted && signal.reason instanceof StoppedByUser) yield STOPPED_MARKER;
}
