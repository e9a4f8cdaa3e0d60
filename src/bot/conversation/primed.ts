/**
 * Waits a moment for a stream's first item before anyone shows it. An answer that fails at once
 * (the engine is busy, the request is refused) throws here, before the Replier posts a status or
 * opens a stream for it; an answer whose first words come quickly needs no status line at all.
 * After `waitMs` the stream is handed over as it is, first item still pending.
 */
export async function primed<T>(source: AsyncIterable<T>, waitMs: number): Promise<AsyncIterable<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = iterator.next();
  // Whoever iterates sees a later failure of `first`; until then it must not count as unhandled.
  first.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([first, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  } catch (error) {
    await iterator.return?.();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  let pending: Promise<IteratorResult<T>> | undefined = first;
  const replay: AsyncIterator<T> = {
    next: () => {
      const next = pending ?? iterator.next();
      pending = undefined;
      return next;
    },
    return: async (value?: unknown) => {
      pending = undefined;
      return (await iterator.return?.(value)) ?? { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => replay };
}
