import { EngineError } from '../errors.js';
import { type RowJob, tokensNeeded } from './row.js';
import type { BatchSettings } from './settings.js';

/** What the running batch holds when newcomers are considered. */
export interface Occupancy {
  rows: number;
  tokensInFlight: number;
  perUser: ReadonlyMap<string, number>;
}

/**
 * The waiting requests, first come first served, with two exceptions: a request whose user already
 * holds `perUserMax` rows is passed over (the next user's goes first; it keeps its place), and the
 * token budget stops admission (no overtaking, so a large request is never starved).
 */
export class WaitQueue {
  private readonly jobs: RowJob[] = [];

  constructor(private readonly settings: BatchSettings) {}

  get length(): number {
    return this.jobs.length;
  }

  /** The request that has waited longest, if any. */
  first(): RowJob | undefined {
    return this.jobs[0];
  }

  /** Requests running and waiting at most: past it, `push` refuses the next one as busy. */
  get holds(): number {
    return this.settings.maxBatchSize + this.settings.maxWaiting;
  }

  /** Requests that would have to wait for a row now (beyond the free ones). */
  waitingBeyond(runningRows: number): number {
    const free = Math.max(0, this.settings.maxBatchSize - runningRows);
    return Math.max(0, this.jobs.length - free);
  }

  /** Adds a request, or throws a busy EngineError when the queue is full. */
  push(job: RowJob, runningRows: number, retryAfterMs: (ahead: number) => number): void {
    const ahead = this.waitingBeyond(runningRows);
    const free = Math.max(0, this.settings.maxBatchSize - runningRows - this.jobs.length);
    if (free === 0 && ahead >= this.settings.maxWaiting) {
      const wait = retryAfterMs(ahead + 1);
      throw new EngineError(
        'busy',
        `The engine is busy: ${runningRows} answers running and ${this.jobs.length} waiting ` +
          `(BATCH_MAX_WAITING=${this.settings.maxWaiting}).`,
        { retryAfterMs: wait },
      );
    }
    this.jobs.push(job);
  }

  /** Removes and returns the requests `keep` rejects (cancelled, past their deadline). */
  sweep(drop: (job: RowJob) => boolean): RowJob[] {
    const dropped: RowJob[] = [];
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      const job = this.jobs[i] as RowJob;
      if (drop(job)) {
        dropped.unshift(job);
        this.jobs.splice(i, 1);
      }
    }
    return dropped;
  }

  /**
   * Takes the requests that may join a batch holding `occupancy` now, in admission order. While
   * rows are running, the newcomers' prompts stop at `prefillBudget` tokens (at least one joins):
   * the running rows wait for their prefill, so this bounds the stall; the rest join at the next
   * boundary. An empty batch takes all that fit. `prefillCost`: the prompt tokens a request's
   * prefill computes (less than its length when the prefix cache holds its start).
   */
  admit(
    occupancy: Occupancy,
    maxRows: number,
    prefillBudget = Infinity,
    prefillCost: (job: RowJob) => number = (job) => job.promptIds.length,
  ): RowJob[] {
    const { perUserMax, maxTokensInFlight } = this.settings;
    const perUser = new Map(occupancy.perUser);
    let rows = occupancy.rows;
    let tokens = occupancy.tokensInFlight;
    let prompts = 0;
    const taken: RowJob[] = [];
    for (let i = 0; i < this.jobs.length && rows < maxRows; ) {
      const job = this.jobs[i] as RowJob;
      const held = job.user === undefined ? 0 : (perUser.get(job.user) ?? 0);
      if (perUserMax > 0 && job.user !== undefined && held >= perUserMax) {
        i++;
        continue;
      }
      const need = tokensNeeded(job);
      // An empty batch always takes one request, however large: it must run some time.
      if (rows > 0 && tokens + need > maxTokensInFlight) break;
      const running = occupancy.rows > 0;
      const cost = running ? prefillCost(job) : 0;
      if (running && taken.length > 0 && prompts + cost > prefillBudget) break;
      prompts += cost;
      this.jobs.splice(i, 1);
      taken.push(job);
      rows++;
      tokens += need;
      if (job.user !== undefined) perUser.set(job.user, held + 1);
    }
    return taken;
  }

  /** Empties the queue, returning what was in it. */
  clear(): RowJob[] {
    return this.jobs.splice(0);
  }
}
