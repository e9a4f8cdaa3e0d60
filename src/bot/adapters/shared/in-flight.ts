import type { Logger } from '../../../log/logger.js';
import { withTimeout } from '../../../util/timeout.js';

/**
 * Work started after the platform was answered (ack first, then the pipeline): reading the event,
 * looking up the thread and names, handing the message over. Tracked so that `stop()` can wait
 * a little for messages already acknowledged to reach the pipeline, whose drain takes them from
 * there. A failure is logged here, never left unhandled.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  get size(): number {
    return this.running.size;
  }

  /** Starts `work` on a later tick and returns at once. */
  /** Starts `work` after the current callback; the returned promise settles with it and never rejects. */
  run(what: string, work: () => Promise<void>): Promise<void> {
    const job: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => this.log.error({ err: error }, `${what} failed`))
      .finally(() => this.running.delete(job));
    this.running.add(job);
    return job;
  }

  /** Waits up to `ms` for the work running now; true when all of it finished. */
  async settle(ms: number): Promise<boolean> {
    const result = await withTimeout(() => Promise.allSettled([...this.running]), ms);
    return result.kind === 'done';
  }
}
