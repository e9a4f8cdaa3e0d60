import { EngineError } from '../errors.js';
import { forward } from '../onnx/forward.js';
import { WaitQueue } from './admission.js';
import { BatchKvCache, type Joiner } from './batch-cache.js';
import type { DecodeDeps } from './decode-types.js';
import { type BatchMetrics, NO_BATCH_METRICS } from './metrics.js';
import { PREFILL_BATCH_TOKENS } from './prefill-plan.js';
import { type PrefilledPart, planUnits, prefillUnit } from './prefill-units.js';
import { PrefixCache, type PrefixCacheStats } from './prefix-cache/prefix-cache.js';
import { Row, type RowJob } from './row.js';
import type { BatchSettings } from './settings.js';
import { Throughput } from './throughput.js';

/** How long running rows waited while newcomers were prefilled and merged (one entry per join). */
export interface StallStats {
  joins: number;
  /** The most recent stalls in milliseconds (up to 1,000). */
  recentMs: number[];
  maxMs: number;
}

export interface SchedulerStats {
  running: number;
  waiting: number;
  /** Prompt plus answer budget of the running rows, in tokens. */
  tokensInFlight: number;
  /** Rows one decode step takes at most. */
  capacity: number;
  /** Requests held at most, running and waiting; one more is refused as busy. */
  holds: number;
  decodeSteps: number;
  /** Sum over decode steps of the rows in each (mean batch = rowSteps / decodeSteps). */
  rowSteps: number;
  /** Prefill groups run (each one forward pass, or a chunked prefill of one long prompt). */
  prefillGroups: number;
  /** Newcomers prefilled in them (mean rows per prefill = prefilledRows / prefillGroups). */
  prefilledRows: number;
  /** Prompt tokens not computed again because newcomers shared a prefix (computed once per group). */
  sharedPrefixTokens: number;
  stalls: StallStats;
  /** Where the loop's time went (ms): newcomers' prefill, decode steps, cache rebuilds (merge, compaction). */
  timeMs: { prefill: number; decode: number; rebuild: number };
  /** The prefix cache's counts (absent when PREFIX_CACHE_BYTES is 0). */
  prefixCache?: PrefixCacheStats;
}

export interface SchedulerOptions {
  settings: BatchSettings;
  metrics?: BatchMetrics;
  /**
   * Whether rows can share a forward pass: the graph must take an attention mask and position ids
   * (left padding needs both). Without them the scheduler runs one row at a time.
   */
  canBatch: boolean;
  /** The clock deadlines are on (RowJob.deadline); performance.now() unless a test moves time. */
  clock?: () => number;
  /** Host memory the prefix cache may hold (prefix-cache/); 0 or absent: no prefix cache. */
  prefixCacheBytes?: number;
}

const deadlineError = () =>
  new EngineError('timeout', 'The answer was not finished by its deadline; try a shorter question.');

/**
 * Iteration-level scheduling (Orca, vLLM): one loop owns the session; after every decode step
 * finished or cancelled rows leave and waiting requests join, prefilled apart from the batch (in
 * left-padded groups, shortest first) and merged into the batch cache in the same rebuild that
 * compacts it. The batch cache is left-padded with an attention mask and fed per-row position ids.
 */
export class BatchScheduler {
  private readonly queue: WaitQueue;
  private readonly cache: BatchKvCache;
  private readonly metrics: BatchMetrics;
  private readonly throughput = new Throughput();
  private readonly maxRows: number;
  readonly clock: () => number;
  private rows: Row[] = [];
  private loop: Promise<void> | undefined;
  private closed = false;
  private decodeSteps = 0;
  private rowSteps = 0;
  private prefills = 0;
  private prefilledRows = 0;
  private sharedPrefixTokens = 0;
  /** Newcomers being prefilled right now (they hold rows, though not yet in `rows`). */
  private joining = 0;
  private readonly timeMs = { prefill: 0, decode: 0, rebuild: 0 };
  private readonly stalls: StallStats = { joins: 0, recentMs: [], maxMs: 0 };
  private readonly prefix: PrefixCache | undefined;

  constructor(
    private readonly deps: DecodeDeps,
    options: SchedulerOptions,
  ) {
    this.queue = new WaitQueue(options.settings);
    this.cache = new BatchKvCache(deps.spec);
    this.metrics = options.metrics ?? NO_BATCH_METRICS;
    this.maxRows = options.canBatch ? options.settings.maxBatchSize : 1;
    this.clock = options.clock ?? (() => performance.now());
    const bytes = options.prefixCacheBytes ?? 0;
    this.prefix =
      bytes > 0 ? new PrefixCache(deps.spec, bytes, (s) => this.metrics.prefixCache?.(s)) : undefined;
  }

  /** Queues a request; throws a busy EngineError (with retryAfterMs) at once when the queue is full. */
  submit(job: RowJob): void {
    if (this.closed) throw new EngineError('unreachable', 'The engine is closed.');
    try {
      this.queue.push(job, this.rows.length + this.joining, (ahead) =>
        this.throughput.retryAfterMs(ahead, this.maxRows),
      );
    } catch (error) {
      this.metrics.rejected('busy');
      throw error;
    }
    this.metrics.queueDepth(this.queue.length);
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
      // Work may have arrived while the loop was ending.
      if (this.queue.length > 0 && !this.closed) this.loop ??= this.run();
    });
  }

  stats(): SchedulerStats {
    return {
      running: this.rows.length + this.joining,
      waiting: this.queue.length,
      tokensInFlight: this.rows.reduce((sum, row) => sum + (row.done ? 0 : row.need), 0),
      capacity: this.maxRows,
      holds: this.queue.holds,
      decodeSteps: this.decodeSteps,
      rowSteps: this.rowSteps,
      prefillGroups: this.prefills,
      prefilledRows: this.prefilledRows,
      sharedPrefixTokens: this.sharedPrefixTokens,
      stalls: { ...this.stalls, recentMs: [...this.stalls.recentMs] },
      timeMs: { ...this.timeMs },
      prefixCache: this.prefix?.stats(),
    };
  }

  /** Fails waiting and running requests as closed and waits for the loop to stop. */
  async close(): Promise<void> {
    this.closed = true;
    await this.loop;
    this.shutDown();
  }

  private shutDown(): void {
    const error = new EngineError('unreachable', 'The engine is closed.');
    for (const job of this.queue.clear()) job.sink.fail(error);
    for (const row of this.rows) row.fail(error);
    this.rows = [];
    this.cache.dispose();
    this.prefix?.clear();
    this.metrics.queueDepth(0);
  }

  private async run(): Promise<void> {
    // Let requests that arrive together be admitted (and prefilled) together: those submitted in the
    // same tick, and those an engine thread receives in one port message (thread/outbox.ts sends a
    // tick's requests as one, each then its own submit): a macrotask later, all of them are queued.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      if (this.closed) return this.shutDown();
      this.sweepWaiting(this.clock());
      const keep = this.leave(this.clock());
      const hadRows = keep.length > 0;
      const joinStarted = performance.now();
      const prefilled = await this.join(keep);
      // Running rows waited for the newcomers' prefill and the merge: that is the stall.
      if (hadRows && prefilled > 0) this.recordStall(performance.now() - joinStarted);
      if (this.rows.length === 0) {
        if (this.queue.length === 0) return;
        continue;
      }
      await this.step();
    }
  }

  /** Drops waiting requests that were cancelled or ran out of time. */
  private sweepWaiting(now: number): void {
    const dropped = this.queue.sweep((job) => job.signal.aborted || (job.deadline ?? Infinity) <= now);
    for (const job of dropped) {
      if (job.signal.aborted) job.sink.fail(new EngineError('cancelled', 'Cancelled while waiting.'));
      else job.sink.fail(deadlineError());
    }
    if (dropped.length > 0) this.metrics.queueDepth(this.queue.length);
  }

  /** Ends cancelled and late rows; returns the indices of the rows that go on. */
  private leave(now: number): number[] {
    for (const row of this.rows) {
      if (row.done) continue;
      if (row.job.signal.aborted) row.finish('cancelled');
      else if ((row.job.deadline ?? Infinity) <= now) row.fail(deadlineError());
    }
    const keep: number[] = [];
    const ended = performance.now();
    for (const [i, row] of this.rows.entries()) {
      if (!row.done) keep.push(i);
      else this.throughput.finished(ended - row.job.submittedAt);
    }
    return keep;
  }

  /** Rows `keep` stay and `joiners` join: one rebuild of the cache (compaction and merge at once). */
  private async regroup(keep: readonly number[], joiners: readonly (Joiner & { members: Row[] })[]) {
    const kept = keep.map((i) => this.rows[i] as Row);
    const started = performance.now();
    try {
      await this.cache.rebuild(keep, joiners);
      this.timeMs.rebuild += performance.now() - started;
    } catch (error) {
      for (const row of [...this.rows, ...joiners.flatMap((j) => j.members)]) row.fail(error);
      this.rows = [];
      this.cache.dispose();
      return;
    }
    this.rows = [...kept, ...joiners.flatMap((j) => j.members)];
  }

  /**
   * Admits what fits beside the rows `keep`, prefills the newcomers (in groups, apart from the
   * batch; each one's first token goes out as soon as its group is done), then compacts and merges
   * the batch cache in one rebuild. Returns how many were prefilled.
   */
  private async join(keep: readonly number[]): Promise<number> {
    const perUser = new Map<string, number>();
    let tokensInFlight = 0;
    for (const i of keep) {
      const row = this.rows[i] as Row;
      tokensInFlight += row.need;
      if (row.user !== undefined) perUser.set(row.user, (perUser.get(row.user) ?? 0) + 1);
    }
    const jobs = this.queue.admit(
      { rows: keep.length, tokensInFlight, perUser },
      this.maxRows,
      this.joinBudget(),
      this.prefix?.prefillCost,
    );
    if (jobs.length === 0) {
      if (keep.length !== this.rows.length) await this.regroup(keep, []);
      return 0;
    }
    this.metrics.queueDepth(this.queue.length);
    const joiners: (Joiner & { members: Row[] })[] = [];
    this.joining = jobs.length;
    try {
      const admitted = jobs.map((job) => new Row(job, this.deps.tokenizer, performance.now()));
      const batched = this.maxRows > 1;
      for (const unit of this.prefix?.plan(admitted, batched) ?? planUnits(admitted, batched)) {
        const started = performance.now();
        let parts: PrefilledPart[] = [];
        try {
          const done = await prefillUnit(this.deps, unit);
          parts = done.parts;
          await this.prefix?.prefilled(unit, done);
          this.timeMs.prefill += performance.now() - started;
          this.prefills++;
          this.prefilledRows += unit.rows.length;
          this.sharedPrefixTokens += (unit.rows.length - 1) * (unit.prefixLength ?? 0);
          const going = unit.rows.map((row, i) => {
            row.timer.run(done.runMs);
            row.timer.prefillDone(row.promptLength);
            // Its first token goes out now, before the next unit's prefill.
            const goes = row.accept(done.logits[i] as Float32Array);
            if (!goes) this.throughput.finished(performance.now() - row.job.submittedAt);
            return goes;
          });
          for (const part of parts) {
            const rows = part.members.flatMap((member, r) =>
              going[member] === true
                ? [{ row: r, length: (unit.rows[member] as Row).promptLength, end: part.ends?.[r] }]
                : [],
            );
            if (rows.length > 0) {
              joiners.push({
                cache: part.cache,
                rows,
                members: rows.map((j) => unit.rows[part.members[j.row] as number] as Row),
              });
            } else {
              part.cache.dispose();
            }
          }
          parts = [];
        } catch (error) {
          for (const part of parts) part.cache.dispose();
          for (const row of unit.rows) row.fail(error);
        }
      }
      await this.regroup(keep, joiners);
      return jobs.length;
    } finally {
      this.joining = 0;
      for (const joiner of joiners) joiner.cache.dispose();
    }
  }

  /**
   * Prompt tokens newcomers may bring per boundary while rows run: one prefill chunk (the first
   * waiting request's), so the running rows wait for about one chunk's prefill per join.
   */
  private joinBudget(): number {
    return this.queue.first()?.params.prefillChunk ?? PREFILL_BATCH_TOKENS;
  }

  /** One decode step for every running row. A failed step fails the rows in it. */
  private async step(): Promise<void> {
    const rows = this.rows;
    this.metrics.batchSize(rows.length);
    try {
      const started = performance.now();
      const step = await forward(this.deps.session, this.deps.spec, this.cache, {
        ids: rows.map((r) => r.next),
        positions: rows.map((r) => r.position),
        mask: this.cache.stepMask(),
        seqLength: 1,
      });
      this.timeMs.decode += performance.now() - started;
      this.decodeSteps++;
      this.rowSteps += rows.length;
      const vocab = step.vocabSize;
      this.prefix?.stepped(rows, this.cache);
      for (const [i, row] of rows.entries()) {
        row.timer.run(step.runMs, rows.length);
        row.accept(step.logits.subarray(i * vocab, (i + 1) * vocab));
      }
    } catch (error) {
      for (const row of rows) row.fail(error);
      this.rows = [];
      this.cache.dispose();
    }
  }

  private recordStall(ms: number): void {
    const s = this.stalls;
    s.joins++;
    s.maxMs = Math.max(s.maxMs, ms);
    s.recentMs.push(ms);
    if (s.recentMs.length > 1000) s.recentMs.shift();
  }
}
