import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { DelayedError, type Job, Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { decideBatch, turnsAhead } from './batch.js';
import { entryOf, readEntry, turnScripts } from './redis-scripts.js';
import {
  CarryOver,
  type QueuedTurn,
  type TurnBatch,
  type TurnHandler,
  type TurnQueue,
  type TurnQueueHooks,
  type TurnQueueSettings,
  type TurnQueueStats,
  type TurnWait,
} from './types.js';

export const TURN_QUEUE_NAME = 'turns';

export interface RedisTurnQueueOptions extends TurnQueueSettings {
  /** For the queue's commands and scripts (no blocking calls). */
  connection: Redis;
  /** For the BullMQ worker: blocks, so it is a connection of its own (maxRetriesPerRequest null). */
  workerConnection: Redis;
  /** BullMQ's key prefix (TURN_QUEUE_PREFIX): the waiting list is `<prefix>:turns:wait`. */
  prefix: string;
  /** A running batch's lock; a replica silent this long has its batches recovered (TURN_LOCK_MS). */
  lockMs: number;
  /** Runs after the first that a batch gets when its replicas keep dying (TURN_MAX_RECOVERIES). */
  maxRecoveries: number;
  /** Finished turns are kept this long (seconds), failed ones `keepFailedS`. */
  keepDoneS: number;
  keepFailedS: number;
  /** A repeated enqueue of the same id is dropped within this time (ms). */
  seenTtlMs: number;
}

interface JobData<P, S> {
  turnId: string;
  conversation: string;
  at: number;
  payload: P;
  /** Set when the batch started: its entries and payloads (carried ones first). */
  batch?: { entries: string[]; payloads: P[] };
  runs?: number;
  handBacks?: number;
  state?: S;
}

/** Runs a job gets when the queue's own Redis commands fail (about a minute at 500 ms apart). */
const RETRIES_ON_REDIS_ERRORS = 120;
/** How long an enqueue waits for a connection that is being (re)established. */
const CONNECT_WAIT_MS = 1_000;
/** How often a turn waiting behind its conversation's running batch looks again. */
const BLOCKED_RETRY_MS = 200;
/** An entry whose job never appeared (its enqueue failed midway) is dropped after this long. */
const ORPHAN_AFTER_MS = 30_000;

/** BullMQ job ids may not hold `:`; a turn id becomes its hash. */
export function jobIdOf(turnId: string): string {
  return createHash('sha256').update(turnId).digest('hex').slice(0, 32);
}

/**
 * Turns as BullMQ jobs, one per turn, ordered per conversation by a Redis list of its waiting
 * turns (docs/turns.md): only the head of the list runs, taking the burst behind it; the others
 * wait (delayed) until the head's batch leaves the list. A replica that dies mid-batch loses its
 * job lock; BullMQ's stalled check hands the job to another replica, which reads the batch and the
 * saved state from the job and continues.
 */
export class RedisTurnQueue<P, S> implements TurnQueue<P, S> {
  readonly kind = 'redis' as const;
  readonly #queue: Queue<JobData<P, S>>;
  readonly #scripts;
  readonly #base: string;
  readonly #handBack = new AbortController();
  #worker: Worker<JobData<P, S>> | undefined;
  #stopped = false;

  constructor(
    private readonly options: RedisTurnQueueOptions,
    private readonly hooks: TurnQueueHooks<P, S>,
  ) {
    this.#queue = new Queue(TURN_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
    this.#scripts = turnScripts(options.connection);
    this.#base = `${options.prefix}:${TURN_QUEUE_NAME}`;
  }

  #keys(conversation: string) {
    const c = `${this.#base}:c:${conversation}`;
    return { pending: `${c}:pending`, carry: `${c}:carry`, running: `${c}:running` };
  }

  async enqueue(turn: QueuedTurn<P>): Promise<boolean> {
    if (this.#stopped) throw new Error('the turn queue is stopped');
    // BullMQ waits for a connection without limit: while Redis is away the caller answers itself.
    await this.#connected();
    const at = turn.at ?? Date.now();
    const keys = this.#keys(turn.conversation);
    const before = await this.#scripts.enqueue(
      `${this.#base}:seen:${jobIdOf(turn.id)}`,
      keys.pending,
      entryOf(turn.id, at),
      this.options.seenTtlMs,
      at,
    );
    if (before < 0) return false;
    const data: JobData<P, S> = {
      turnId: turn.id,
      conversation: turn.conversation,
      at,
      payload: turn.payload,
    };
    await this.#queue.add('turn', data, {
      jobId: jobIdOf(turn.id),
      // A run that broke on Redis itself (an outage) is tried again; a turn that failed for good
      // throws UnrecoverableError, which BullMQ does not retry.
      attempts: RETRIES_ON_REDIS_ERRORS,
      backoff: { type: 'fixed', delay: 500 },
      removeOnComplete: { age: this.options.keepDoneS },
      removeOnFail: { age: this.options.keepFailedS },
    });
    if (before > 0 && this.hooks.strategy(turn.conversation, turn.payload) === 'interrupt') {
      this.hooks.interrupt?.(turn.conversation);
    }
    return true;
  }

  async waiting(turn: Pick<QueuedTurn<P>, 'id' | 'conversation'>): Promise<TurnWait | undefined> {
    await this.#connected();
    const entries = await this.options.connection.zrange(this.#keys(turn.conversation).pending, 0, -1);
    const pending = entries.map(readEntry);
    const index = pending.findIndex((waiting) => waiting.id === turn.id);
    const head = pending[0];
    if (index < 0 || head === undefined) return undefined;
    // A running batch's entries stay listed until it ends; its job (the head's) holds them.
    const headJob = await this.#queue.getJob(jobIdOf(head.id));
    // The head's job is still being added (or was lost: it is dropped soon): the turn waits.
    if (headJob === undefined) return { ahead: index };
    const batch = headJob.data.batch;
    if (batch?.entries.includes(entries[index] as string)) return undefined;
    const rules = {
      strategy: this.hooks.strategy(turn.conversation, headJob.data.payload),
      windowMs: this.options.burstWindowMs,
      max: this.options.burstMax,
    };
    const ahead = turnsAhead(pending, index, batch === undefined ? undefined : 0, rules, Date.now());
    return ahead === undefined ? undefined : { ahead };
  }

  process(handler: TurnHandler<P, S>): void {
    if (this.#worker !== undefined) throw new Error('the turn queue already has a handler');
    this.#worker = new Worker<JobData<P, S>>(
      TURN_QUEUE_NAME,
      (job, token) => this.#process(job, token, handler),
      {
        connection: this.options.workerConnection,
        prefix: this.options.prefix,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: Math.max(500, Math.floor(this.options.lockMs / 2)),
        // Recoveries are counted in the job's data (runs), where a hand-back does not count.
        maxStalledCount: 1_000_000,
      },
    );
    this.#worker.on('error', () => {});
  }

  async stats(): Promise<TurnQueueStats> {
    await this.#connected();
    const counts = await this.#queue.getJobCounts('waiting', 'delayed', 'active', 'failed', 'prioritized');
    return {
      waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      running: counts.active ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** Resolves once the connection is ready (waiting up to a second); rejects while Redis is away. */
  async #connected(): Promise<void> {
    const connection = this.options.connection;
    if (connection.status === 'ready') return;
    try {
      await once(connection, 'ready', { signal: AbortSignal.timeout(CONNECT_WAIT_MS) });
    } catch {
      throw new Error(`Redis is not connected (${connection.status})`);
    }
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    const worker = this.#worker;
    if (worker === undefined) return;
    const closing = worker.close();
    const timer = setTimeout(() => this.#handBack.abort(new Error('handed back')), graceMs);
    await closing;
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    if (!this.#stopped) await this.stop(0);
    await this.#queue.close();
  }

  async #process(
    job: Job<JobData<P, S>>,
    token: string | undefined,
    handler: TurnHandler<P, S>,
  ): Promise<void> {
    const keys = this.#keys(job.data.conversation);
    const jobId = job.id as string;
    // One batch of a conversation at a time: another one's mark makes this job wait.
    const markMs = this.options.lockMs * 2;
    if (!(await this.#scripts.claim(keys.running, jobId, markMs))) {
      return this.#delay(job, token, Date.now() + BLOCKED_RETRY_MS);
    }
    const renew = setInterval(
      () => {
        this.#scripts.claim(keys.running, jobId, markMs).catch(() => {});
      },
      Math.floor(this.options.lockMs / 3),
    );
    try {
      await this.#run(job, token, handler, keys);
    } finally {
      clearInterval(renew);
      await this.#scripts.release(keys.running, jobId).catch(() => {});
    }
  }

  async #run(
    job: Job<JobData<P, S>>,
    token: string | undefined,
    handler: TurnHandler<P, S>,
    keys: { pending: string; carry: string },
  ): Promise<void> {
    const batch = job.data.batch ?? (await this.#startBatch(job, token));
    if (batch === undefined) return;
    const runs = (job.data.runs ?? 0) + 1;
    const attempt = runs - (job.data.handBacks ?? 0);
    await job.updateData({ ...job.data, batch, runs });
    const view = this.#batchView(job, batch.payloads, attempt);
    if (attempt > this.options.maxRecoveries + 1) {
      const error = new Error(`the turn's replica died ${attempt - 1} times while running it`);
      await this.#finish(keys, batch.entries, []);
      await this.hooks.failed?.(view, error);
      throw new UnrecoverableError(error.message);
    }
    try {
      await handler(view);
    } catch (error) {
      if (this.#handBack.signal.aborted) return this.#giveBack(job, token);
      if (error instanceof CarryOver) {
        await this.#finish(keys, batch.entries, batch.payloads);
        return;
      }
      await this.#finish(keys, batch.entries, []);
      await this.hooks.failed?.(view, error);
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    if (this.#handBack.signal.aborted) return this.#giveBack(job, token);
    await this.#finish(keys, batch.entries, []);
  }

  /** Decides this job's batch, or waits (delayed) when its turn has not come; undefined: nothing to run. */
  async #startBatch(job: Job<JobData<P, S>>, token: string | undefined): Promise<JobData<P, S>['batch']> {
    const keys = this.#keys(job.data.conversation);
    const entries = await this.options.connection.zrange(keys.pending, 0, -1);
    const pending = entries.map((entry) => ({ ...readEntry(entry), entry }));
    const mine = pending.findIndex((turn) => turn.id === job.data.turnId);
    // Not waiting any more: an earlier batch answered it (a burst) or it was already run.
    if (mine < 0) return undefined;
    if (mine > 0) {
      const head = pending[0];
      if (
        head !== undefined &&
        Date.now() - head.at > ORPHAN_AFTER_MS &&
        !(await this.#queue.getJob(jobIdOf(head.id)))
      ) {
        await this.options.connection.zrem(keys.pending, head.entry);
      }
      return this.#delay(job, token, Date.now() + BLOCKED_RETRY_MS);
    }
    const rules = {
      strategy: this.hooks.strategy(job.data.conversation, job.data.payload),
      windowMs: this.options.burstWindowMs,
      max: this.options.burstMax,
    };
    const decision = decideBatch(pending, rules, Date.now());
    if (decision.kind === 'wait') return this.#delay(job, token, decision.until);
    const chosen = pending.slice(0, decision.ids.length);
    const payloads: P[] = [];
    for (const turn of chosen) {
      if (turn.id === job.data.turnId) payloads.push(job.data.payload);
      else {
        const other = await this.#queue.getJob(jobIdOf(turn.id));
        if (other !== undefined) payloads.push(other.data.payload);
      }
    }
    const carried = (await this.#scripts.takeCarry(keys.carry)).map((raw) => JSON.parse(raw) as P);
    return { entries: chosen.map((turn) => turn.entry), payloads: [...carried, ...payloads] };
  }

  async #delay(job: Job<JobData<P, S>>, token: string | undefined, until: number): Promise<never> {
    await job.moveToDelayed(until, token);
    throw new DelayedError();
  }

  /** Shutdown: the batch goes back to the waiting list as it is; another replica continues it. */
  async #giveBack(job: Job<JobData<P, S>>, token: string | undefined): Promise<never> {
    await job.updateData({ ...job.data, handBacks: (job.data.handBacks ?? 0) + 1 });
    await job.moveToWait(token);
    throw new WaitingError();
  }

  async #finish(keys: { pending: string; carry: string }, entries: string[], carry: P[]): Promise<void> {
    await this.#scripts.finish(
      keys.pending,
      keys.carry,
      entries,
      carry.map((payload) => JSON.stringify(payload)),
    );
  }

  #batchView(job: Job<JobData<P, S>>, payloads: P[], attempt: number): TurnBatch<P, S> {
    const view: TurnBatch<P, S> = {
      id: job.data.turnId,
      conversation: job.data.conversation,
      payloads,
      enqueuedAt: job.data.at,
      attempt,
      state: job.data.state,
      saveState: async (state) => {
        await job.updateData({ ...job.data, state });
        view.state = state;
      },
      signal: this.#handBack.signal,
    };
    return view;
  }
}
