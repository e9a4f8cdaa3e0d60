/** How a bounded piece of work ended. */
export type Bounded<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'error'; error: unknown };

/**
 * Runs `work` (a synchronous throw counts as an error) and stops waiting after
 * `ms`. The work itself is not cancelled; pass it an AbortSignal for that.
 */
export async function withTimeout<T>(work: () => Promise<T>, ms: number): Promise<Bounded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Bounded<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, ms));
  });
  const run = Promise.resolve()
    .then(work)
    .then(
      (value): Bounded<T> => ({ kind: 'done', value }),
      (error: unknown): Bounded<T> => ({ kind: 'error', error }),
    );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
