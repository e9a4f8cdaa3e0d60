import type { BurstStrategy } from './types.js';

/** A turn waiting in its conversation's list. */
export interface PendingTurn {
  id: string;
  /** When it was enqueued (ms since the epoch). */
  at: number;
}

export type BatchDecision =
  /** Run these turns (the head and the burst behind it) as one batch. */
  | { kind: 'run'; ids: string[] }
  /** The burst may still grow: look again at `until`. */
  | { kind: 'wait'; until: number };

export interface BatchRules {
  strategy: BurstStrategy;
  windowMs: number;
  max: number;
}

/**
 * Which of a conversation's waiting turns run next, as one batch: the head, and behind it every
 * turn that came within `windowMs` of the one before (a burst), at most `max`. With `merge`,
 * everything waiting joins the batch (it waited while the last one ran). A burst that may still
 * grow (fewer than `max`, the last turn younger than the window) waits for the window to pass.
 */
export function decideBatch(pending: readonly PendingTurn[], rules: BatchRules, now: number): BatchDecision {
  const head = pending[0];
  if (head === undefined) return { kind: 'run', ids: [] };
  const ids = [head.id];
  let last = head;
  for (const turn of pending.slice(1)) {
    if (ids.length >= rules.max) break;
    if (rules.strategy !== 'merge' && turn.at - last.at > rules.windowMs) break;
    ids.push(turn.id);
    last = turn;
  }
  const more = pending.length > ids.length;
  if (!more && ids.length < rules.max && now - last.at < rules.windowMs) {
    return { kind: 'wait', until: last.at + rules.windowMs };
  }
  return { kind: 'run', ids };
}

/**
 * How many turns run before the waiting turn at `index` of `pending`: `running` (the turns of the
 * conversation's running batch, undefined when none runs) and those before it; 0 when it is in the
 * next batch, which waits for a free runner. Undefined while that batch's burst is still gathered.
 */
export function turnsAhead(
  pending: readonly PendingTurn[],
  index: number,
  running: number | undefined,
  rules: BatchRules,
  now: number,
): number | undefined {
  if (running !== undefined) return running + index;
  const decision = decideBatch(pending, rules, now);
  if (decision.kind === 'wait') return undefined;
  return index < decision.ids.length ? 0 : index;
}
