import type { Logger } from '../../log/logger.js';

export interface RestartOptions<T> {
  /** Starts the thing again; a throw is retried after a longer wait. */
  start: () => Promise<T>;
  /** Wait before the first try; doubled after each failed try, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs?: number;
  logger?: Logger;
}

/**
 * Starts a dead thread or process again, with growing waits between failed tries, until it runs
 * or `stop()` is called. Callers that need it meanwhile wait with `whenStarted`.
 */
export class RestartPolicy<T> {
  private attempt: Promise<T | undefined> | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wakeSleeper: (() => void) | undefined;
  /** Completed restarts. */
  count = 0;

  constructor(private readonly options: RestartOptions<T>) {}

  /** Begins restarting (no-op while a restart is under way). */
  begin(): void {
    if (this.stopped || this.attempt !== undefined) return;
    this.attempt = this.loop().finally(() => {
      this.attempt = undefined;
    });
  }

  /** The restarted thing, or undefined when it is not back within `waitMs` (or the signal aborts). */
  async whenStarted(waitMs: number, signal?: AbortSignal): Promise<T | undefined> {
    const attempt = this.attempt;
    if (attempt === undefined) return undefined;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const giveUp = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
      onAbort = () => resolve(undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([attempt, giveUp]);
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wakeSleeper?.();
  }

  private async loop(): Promise<T | undefined> {
    const max = this.options.maxDelayMs ?? 10_000;
    for (let delay = this.options.initialDelayMs; !this.stopped; delay = Math.min(delay * 2, max)) {
      await new Promise<void>((resolve) => {
        this.wakeSleeper = resolve;
        this.timer = setTimeout(resolve, delay);
      });
      if (this.stopped) break;
      try {
        const started = await this.options.start();
        this.count++;
        this.options.logger?.info({ restarts: this.count }, 'started again');
        return started;
      } catch (error) {
        this.options.logger?.error({ err: error, nextTryMs: Math.min(delay * 2, max) }, 'restart failed');
      }
    }
    return undefined;
  }
}
