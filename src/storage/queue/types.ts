/**
 * The durable turn queue (docs/turns.md): accepted chat turns wait here until a replica runs them.
 * Turns of one conversation run one at a time in arrival order; a burst of them runs as one batch.
 * BullMQ on Redis (any replica runs any turn, a dead replica's turns are recovered) or in-process.
 */

/** What happens to turns that arrive while the conversation's turn runs (TURN_STRATEGY). */
export type BurstStrategy = 'queue' | 'merge' | 'interrupt';

/* Payloads (P) and saved states (S) must survive JSON.stringify: they go into Redis as they are. */

export interface QueuedTurn<P> {
  /** Unique per turn (the platform's message id): enqueueing it twice queues it once. */
  id: string;
  /** Turns with the same conversation run one at a time, in the order they were enqueued. */
  conversation: string;
  payload: P;
  /**
   * When the platform says the message was sent (ms since the epoch; default now): a
   * conversation's turns run in this order, and bursts are measured by it. Two replicas that
   * queue one conversation's messages out of order still run them in the order they were sent.
   */
  at?: number;
}

/** One run: one turn, or a burst of a conversation's turns answered as one. */
export interface TurnBatch<P, S> {
  /** The id of the batch's first turn. */
  id: string;
  conversation: string;
  /** The turns' payloads in arrival order (the first is the batch's own). */
  payloads: P[];
  /** When the first turn was enqueued (ms since the epoch). */
  enqueuedAt: number;
  /** 1 for the first run; more when an earlier run's replica died or handed it back. */
  attempt: number;
  /** What an earlier run saved (where its answer is shown), or undefined on the first run. */
  state: S | undefined;
  /** Saves what a later run needs to continue this one (awaited: it is in Redis once resolved). */
  saveState(state: S): Promise<void>;
  /** Aborted when this replica hands the batch back (shutdown): stop without telling the user. */
  signal: AbortSignal;
}

export type TurnHandler<P, S> = (batch: TurnBatch<P, S>) => Promise<void>;

/** The handler's outcome that hands a batch's turns on to the conversation's next batch (interrupt). */
export class CarryOver extends Error {
  override readonly name = 'CarryOver';
}

export interface TurnQueueHooks<P, S> {
  /** The strategy for a conversation (a per-channel setting can plug in here). */
  strategy(conversation: string, payload: P): BurstStrategy;
  /** `interrupt`: a new turn arrived while the conversation's turn runs; stop it (wherever it runs). */
  interrupt?(conversation: string): void;
  /** A batch failed for good (its handler threw, or its replicas kept dying): tell the user. */
  failed?(batch: Omit<TurnBatch<P, S>, 'saveState' | 'signal'>, error: unknown): Promise<void>;
}

export interface TurnQueueStats {
  /** Turns waiting (not running). */
  waiting: number;
  /** Batches running now, on any replica. */
  running: number;
  /** Turns that failed for good and are kept for inspection. */
  failed: number;
}

/** Where a waiting turn stands (TurnQueue.waiting). */
export interface TurnWait {
  /** Turns of its conversation queued or running before it; 0: it waits for a free runner. */
  ahead: number;
}

export interface TurnQueue<P, S> {
  readonly kind: 'memory' | 'redis';
  /** Queues a turn; resolves once it is durable. False when a turn with this id was already queued. */
  enqueue(turn: QueuedTurn<P>): Promise<boolean>;
  /**
   * Whether a queued turn still waits, and behind how many. Undefined once it runs (or ran), for an
   * unknown turn, and while its burst is still gathered (it starts by itself when the window passes).
   */
  waiting(turn: Pick<QueuedTurn<P>, 'id' | 'conversation'>): Promise<TurnWait | undefined>;
  /** Starts running turns with `handler` (once). */
  process(handler: TurnHandler<P, S>): void;
  stats(): Promise<TurnQueueStats>;
  /**
   * Stops taking turns. Running batches get `graceMs` to finish, then are handed back (their
   * signal aborts; with Redis another replica continues them, in memory they are dropped).
   */
  stop(graceMs: number): Promise<void>;
  close(): Promise<void>;
}

/** The queue's timing: bursts, locks and retention (TURN_* settings). */
export interface TurnQueueSettings {
  /** A turn waits this long for the next message of a burst (0: no waiting). */
  burstWindowMs: number;
  /** Most turns in one batch. */
  burstMax: number;
  /** Batches run at once by this replica. */
  concurrency: number;
}
