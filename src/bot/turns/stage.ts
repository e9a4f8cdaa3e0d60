import type { ObjectStore } from '../../storage/object/types.js';
import type { TurnQueue } from '../../storage/queue/types.js';
import { conversationKey, type InboundMessage } from '../message.js';
import type { Middleware } from '../pipeline/compose.js';
import { routeKind } from '../pipeline/route.js';
import { type TurnPayload, toTurnPayload } from './payload.js';
import { QUEUED_STATUS_AFTER_MS, statusWhileQueued } from './queued-status.js';
import { type LocalAttachments, stashAttachments } from './stash.js';
import type { TurnState } from './state.js';

export interface TurnStageOptions {
  queue: TurnQueue<TurnPayload, TurnState>;
  objects: ObjectStore;
  /** Most bytes of one attachment copied for the job (MEDIA_MAX_BYTES). */
  maxAttachmentBytes: number;
  /** Where the in-process queue keeps attachments as they are. */
  local: LocalAttachments;
  /** A turn still waiting this long gets a status line (default QUEUED_STATUS_AFTER_MS). */
  queuedStatusAfterMs?: number;
}

/** A turn's queue id: the platform's message id within its workspace. */
export function turnIdOf(message: Pick<InboundMessage, 'platform' | 'workspace' | 'id'>): string {
  return `${message.platform}:${message.workspace}:${message.id}`;
}

/**
 * The stage after the rate limit: an accepted message becomes a queued turn (its attachments
 * copied to the object store first) and the pipeline is done with it; a turn runner on any
 * replica answers it, and while it waits its sender sees a status line (queued-status.ts). A
 * reply without a handle (the terminal, a slash command's response_url, which is a secret), a
 * message with attachments when Redis is set but the object store is this replica's own disk, and
 * a message the queue cannot take (Redis down) are answered here: answering it without the queue's
 * guarantees beats losing it.
 */
export function turnStage(options: TurnStageOptions): Middleware {
  return async (ctx, next) => {
    const handle = ctx.reply.handle;
    if (handle === undefined || routeKind(ctx) === 'empty') return next();
    // Files on this replica's disk are out of other replicas' reach: such a message is answered here.
    const shared = options.queue.kind === 'memory' || options.objects.kind === 's3';
    if (!shared && ctx.message.attachments.length > 0) return next();
    try {
      const attachments =
        options.queue.kind === 'memory'
          ? options.local.keep(ctx.message)
          : await stashAttachments(options.objects, ctx.message, options.maxAttachmentBytes, ctx.signal);
      const turn = { id: turnIdOf(ctx.message), conversation: conversationKey(ctx.message) };
      const queued = await options.queue.enqueue({
        ...turn,
        at: ctx.message.receivedAt.getTime(),
        payload: toTurnPayload(ctx, handle, attachments),
      });
      // Durable now: the platform's ack may go out (a replica that dies after it loses nothing).
      ctx.message.accepted?.();
      if (queued) {
        statusWhileQueued({
          queue: options.queue,
          turn,
          reply: ctx.reply,
          afterMs: options.queuedStatusAfterMs ?? QUEUED_STATUS_AFTER_MS,
          log: ctx.log,
        });
      }
    } catch (error) {
      ctx.log.warn({ err: error }, 'could not queue the turn; answering it on this replica');
      return next();
    }
  };
}
