import type { Logger } from '../../log/logger.js';
import type { QueuedTurn, TurnQueue, TurnWait } from '../../storage/queue/types.js';
import type { Replier } from '../message.js';

/** How long a queued turn waits before its sender is told where it stands. */
export const QUEUED_STATUS_AFTER_MS = 1_000;

/** The status line of a turn that waits. */
export function queuedStatusText(wait: TurnWait): string {
  if (wait.ahead === 0) return 'Queued — waiting for a free slot…';
  return `Queued — ${wait.ahead} message${wait.ahead === 1 ? '' : 's'} ahead of yours…`;
}

export interface QueuedStatusOptions {
  queue: Pick<TurnQueue<unknown, unknown>, 'waiting'>;
  turn: Pick<QueuedTurn<unknown>, 'id' | 'conversation'>;
  /** The live reply of the accepting replica; the Replier that answers the turn removes its line. */
  reply: Replier;
  afterMs: number;
  log: Logger;
}

/**
 * Instead of silence: a turn that still waits `afterMs` after it was queued (behind its
 * conversation's running turn, or for a free runner) gets one status line saying so, or a notice
 * where the reply has no status line. Fire and forget: nothing waits for it, failures are logged.
 */
export function statusWhileQueued(options: QueuedStatusOptions): void {
  const timer = setTimeout(() => {
    showQueued(options).catch((error: unknown) => {
      options.log.debug({ err: error }, 'could not show the queued status');
    });
  }, options.afterMs);
  timer.unref();
}

async function showQueued({ queue, turn, reply }: QueuedStatusOptions): Promise<void> {
  const wait = await queue.waiting(turn);
  if (wait === undefined) return;
  const text = queuedStatusText(wait);
  if (reply.status === undefined) return reply.notice(text);
  await reply.status(text);
  // The turn may have started while the line went out, its Replier looking before it was there.
  if ((await queue.waiting(turn)) === undefined) await reply.clearStatus?.();
}
