import { decideBatch, type PendingTurn, turnsAhead } from './batch.js';
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

interface Waiting<P> extends PendingTurn {
  payload: P;
}

interface Conversation<P> {
  pending: Waiting<P>[];
  carry: P[];
  running: boolean;
  /** How many turns the running batch answers. */
  runningTurns: number;
  timer?: NodeJS.Timeout | undefined;
}

/** Ids remembered so a repeated enqueue is dropped (the newest this many). */
const SEEN_MAX = 10_000;

/**
 * The queue of one process (no REDIS_URL, or the terminal): the same ordering, bursts and
 * strategies as the Redis queue, but turns live in memory: a crash loses them, `stop` drops them.
 */
export class MemoryTurnQueue<P, S> implements TurnQueue<P, S> {
  readonly kind = 'memory' as const;
  readonly #conversations = new Map<string, Conversation<P>>();
  readonly #seen = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  readonly #handBack = new AbortController();
  #handler: TurnHandler<P, S> | undefined;
  #active = 0;
  #failed = 0;
  #stopped = false;

  constructor(
    private readonly settings: TurnQueueSettings,
    private readonly hooks: TurnQueueHooks<P, S>,
  ) {}

  async enqueue(turn: QueuedTurn<P>): Promise<boolean> {
    if (this.#stopped) throw new Error('the turn queue is stopped');
    if (this.#seen.has(turn.id)) return false;
    this.#seen.add(turn.id);
    if (this.#seen.size > SEEN_MAX) this.#seen.delete(this.#seen.values().next().value as string);
    let conversation = this.#conversations.get(turn.conversation);
    if (conversation === undefined) {
      conversation = { pending: [], carry: [], running: false, runningTurns: 0 };
      this.#conversations.set(turn.conversation, conversation);
    }
    const at = turn.at ?? Date.now();
    const later = conversation.pending.findIndex((waiting) => waiting.at > at);
    const entry = { id: turn.id, at, payload: turn.payload };
    if (later < 0) conversation.pending.push(entry);
    else conversation.pending.splice(later, 0, entry);
    if (conversation.running && this.hooks.strategy(turn.conversation, turn.payload) === 'interrupt') {
      this.hooks.interrupt?.(turn.conversation);
    }
    this.#pump();
    return true;
  }

  process(handler: TurnHandler<P, S>): void {
    if (this.#handler !== undefined) throw new Error('the turn queue already has a handler');
    this.#handler = handler;
    this.#pump();
  }

  async waiting(turn: Pick<QueuedTurn<P>, 'id' | 'conversation'>): Promise<TurnWait | undefined> {
    const conversation = this.#conversations.get(turn.conversation);
    const head = conversation?.pending[0];
    if (conversation === undefined || head === undefined) return undefined;
    const index = conversation.pending.findIndex((waiting) => waiting.id === turn.id);
    if (index < 0) return undefined;
    const ahead = turnsAhead(
      conversation.pending,
      index,
      conversation.running ? conversation.runningTurns : undefined,
      this.#rules(turn.conversation, head.payload),
      Date.now(),
    );
    return ahead === undefined ? undefined : { ahead };
  }

  async stats(): Promise<TurnQueueStats> {
    let waiting = 0;
    for (const conversation of this.#conversations.values()) waiting += conversation.pending.length;
    return { waiting, running: this.#active, failed: this.#failed };
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    for (const conversation of this.#conversations.values()) clearTimeout(conversation.timer);
    const all = Promise.allSettled([...this.#running]);
    const timer = setTimeout(() => this.#handBack.abort(new Error('handed back')), graceMs);
    await all;
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    if (!this.#stopped) await this.stop(0);
  }

  /** Starts every conversation that can run (not running, within the concurrency). */
  #pump(): void {
    if (this.#handler === undefined || this.#stopped) return;
    for (const [key, conversation] of this.#conversations) {
      if (this.#active >= this.settings.concurrency) return;
      if (conversation.running || conversation.timer !== undefined) continue;
      if (conversation.pending.length === 0) {
        if (conversation.carry.length === 0) this.#conversations.delete(key);
        continue;
      }
      this.#start(key, conversation);
    }
  }

  #rules(conversation: string, head: P) {
    return {
      strategy: this.hooks.strategy(conversation, head),
      windowMs: this.settings.burstWindowMs,
      max: this.settings.burstMax,
    };
  }

  #start(key: string, conversation: Conversation<P>): void {
    const rules = this.#rules(key, (conversation.pending[0] as Waiting<P>).payload);
    const decision = decideBatch(conversation.pending, rules, Date.now());
    if (decision.kind === 'wait') {
      conversation.timer = setTimeout(() => {
        conversation.timer = undefined;
        this.#pump();
      }, decision.until - Date.now());
      return;
    }
    const turns = conversation.pending.splice(0, decision.ids.length);
    const payloads = [...conversation.carry.splice(0), ...turns.map((turn) => turn.payload)];
    const first = turns[0] as Waiting<P>;
    conversation.running = true;
    conversation.runningTurns = turns.length;
    this.#active += 1;
    const run = this.#run(key, first, payloads).finally(() => {
      conversation.running = false;
      this.#active -= 1;
      this.#running.delete(run);
      this.#pump();
    });
    this.#running.add(run);
  }

  async #run(conversation: string, first: Waiting<P>, payloads: P[]): Promise<void> {
    const handler = this.#handler as TurnHandler<P, S>;
    let state: S | undefined;
    const batch: TurnBatch<P, S> = {
      id: first.id,
      conversation,
      payloads,
      enqueuedAt: first.at,
      attempt: 1,
      state,
      saveState: async (next) => {
        state = next;
        batch.state = next;
      },
      signal: this.#handBack.signal,
    };
    try {
      await handler(batch);
    } catch (error) {
      if (error instanceof CarryOver) {
        this.#conversations.get(conversation)?.carry.push(...payloads);
        return;
      }
      if (this.#handBack.signal.aborted) return;
      this.#failed += 1;
      await this.hooks.failed?.(batch, error);
    }
  }
}
