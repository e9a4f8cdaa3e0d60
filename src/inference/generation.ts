import { type GenerateResult, type Generation, RESTART_CHUNK } from './types.js';

/**
 * The work behind a generation: yields text chunks and returns the final result. `signal` aborts
 * when the caller's signal aborts or the consumer stops iterating early; the work should then stop
 * (abort its I/O) — whatever it throws or returns afterwards is ignored.
 */
export type GenerationBody = (signal: AbortSignal) => AsyncIterator<string, GenerateResult, undefined>;

export interface GenerationOptions {
  /** The caller's signal: aborting it ends the generation with finishReason 'cancelled' (not an error). */
  signal?: AbortSignal;
  /** The result of a cancelled generation, given the text produced until then. */
  cancelled: (text: string) => GenerateResult;
}

type Outcome = { ok: true; value: GenerateResult } | { ok: false; error: unknown };

const noop = () => {};

function onceOnly(): () => void {
  let iterated = false;
  return () => {
    if (iterated) throw new Error('A Generation can be iterated only once; it was already iterated.');
    iterated = true;
  };
}

/**
 * Builds a Generation from `body`. The work starts at once and its chunks are buffered, so `result`
 * settles even if nobody iterates. Stopping the iteration early (break/return) aborts the work and
 * `result` resolves with finishReason 'cancelled'. `result` never becomes an unhandled rejection.
 */
export function createGeneration(body: GenerationBody, options: GenerationOptions): Generation {
  const controller = new AbortController();
  const queue: string[] = [];
  let text = '';
  let outcome: Outcome | undefined;
  let wake: (() => void) | undefined;
  let settle: (o: Outcome) => void = noop;
  const result = new Promise<GenerateResult>((resolve, reject) => {
    settle = (o) => (o.ok ? resolve(o.value) : reject(o.error));
  });
  // The no-op handler marks `result` as handled; consumers still get the rejection when they await it.
  result.catch(noop);

  const finish = (o: Outcome) => {
    if (outcome !== undefined) return;
    outcome = o;
    options.signal?.removeEventListener('abort', cancel);
    settle(o);
    wake?.();
  };
  function cancel() {
    if (outcome !== undefined) return;
    controller.abort();
    finish({ ok: true, value: options.cancelled(text) });
  }

  const pump = async () => {
    try {
      const work = body(controller.signal);
      for (;;) {
        const step = await work.next();
        if (outcome !== undefined) break;
        if (step.done === true) return finish({ ok: true, value: step.value });
        // A restart voids the text before it (what a cancelled result then reports).
        text = step.value === RESTART_CHUNK ? '' : text + step.value;
        queue.push(step.value);
        wake?.();
      }
      // Cancelled while the work was running: let it clean up (finally blocks).
      await work.return?.();
    } catch (error) {
      if (controller.signal.aborted) cancel();
      else finish({ ok: false, error });
    }
  };

  if (options.signal?.aborted === true) {
    cancel();
  } else {
    options.signal?.addEventListener('abort', cancel, { once: true });
    void pump();
  }

  const claim = onceOnly();
  return {
    result,
    [Symbol.asyncIterator](): AsyncIterator<string> {
      claim();
      return {
        async next(): Promise<IteratorResult<string>> {
          for (;;) {
            const chunk = queue.shift();
            if (chunk !== undefined) return { done: false, value: chunk };
            if (outcome !== undefined) {
              if (!outcome.ok) throw outcome.error;
              return { done: true, value: undefined };
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
          }
        },
        async return(): Promise<IteratorResult<string>> {
          cancel();
          queue.length = 0;
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/** A Generation that has already failed with `error` (iterating throws it; `result` rejects with it). */
export function failedGeneration(error: unknown): Generation {
  const result = Promise.reject(error);
  result.catch(noop);
  const claim = onceOnly();
  return {
    result,
    [Symbol.asyncIterator](): AsyncIterator<string> {
      claim();
      return { next: () => Promise.reject(error) };
    },
  };
}
