import type { Logger } from '../../log/logger.js';
import type { KeyValueStore } from '../../storage/kv/types.js';
import { tracingOn } from '../../tracing/state.js';
import { withTimeout } from '../../util/timeout.js';
import type { InboundMessage, Replier } from '../message.js';
import { compose, type Middleware } from './compose.js';
import { type MessageContext, messageLogFields } from './context.js';
import { dedup } from './dedup.js';
import { reportError } from './error-boundary.js';
import type { PipelineMetrics } from './metrics.js';
import { type RouteHandlers, route } from './route.js';
import { permissionsSeam, rateLimitSeam } from './seams.js';
import { inTurnSpan, tracedReplier, tracedStage } from './tracing.js';

export interface PipelineOptions {
  kv: KeyValueStore;
  logger: Logger;
  metrics: PipelineMetrics;
  handlers: RouteHandlers;
  dedupTtlMs: number;
  /** Replace the seams when the real stages exist. */
  permissions?: Middleware;
  rateLimit?: Middleware;
  /** Durable turns (src/bot/turns): accepted messages are queued here and answered by runQueued. */
  turns?: Middleware;
}

/** What the stages before a queued turn decided, given back to it when it runs. */
export type QueuedDecisions = Pick<
  MessageContext,
  'role' | 'scopes' | 'access' | 'chargeUsage' | 'usageBudget' | 'channel'
>;

export interface DrainResult {
  /** Messages that finished within the deadline. */
  finished: number;
  /** Messages aborted at the deadline. */
  aborted: number;
}

export interface Pipeline {
  /** Handles one message end to end. Never rejects: errors end in the error boundary. */
  handle(message: InboundMessage, reply: Replier): Promise<void>;
  /** Messages being handled right now. */
  readonly inFlight: number;
  /** Stops taking messages, waits for those in flight up to the deadline, then aborts the rest. */
  drain(deadlineMs: number): Promise<DrainResult>;
}

/** The bot's own pipeline: it also answers queued turns. */
export interface TurnPipeline extends Pipeline {
  /**
   * Answers a queued turn (the route stage, inside the error boundary) on whichever replica runs
   * it. Resolves with the error the sender was told about, or undefined.
   */
  runQueued(
    message: InboundMessage,
    reply: Replier,
    decisions: QueuedDecisions,
    signal: AbortSignal,
  ): Promise<unknown>;
}

export const RESTARTING_NOTICE = 'teambot is restarting. Please send that again in a minute.';

/**
 * dedup → permissions → rate limit → route, inside one error boundary. With tracing on, each turn
 * is a trace: a `chat.turn` span, a span per stage, the reply's writes, and its trace id in the log
 * lines and the error id the user sees.
 */
export function createPipeline(options: PipelineOptions): TurnPipeline {
  const { logger, metrics } = options;
  const traced = tracingOn();
  const stages: Array<[string, Middleware]> = [
    [
      'dedup',
      dedup({
        kv: options.kv,
        ttlMs: options.dedupTtlMs,
        metrics,
        // With durable turns the queue takes a message id once: a copy whose claimant may have died goes on.
        retryUnfinished: options.turns !== undefined,
      }),
    ],
    ['permissions', options.permissions ?? permissionsSeam(metrics)],
    ['limits', options.rateLimit ?? rateLimitSeam(metrics)],
    ...(options.turns === undefined ? [] : [['turns', options.turns] as [string, Middleware]]),
    ['route', route(options.handlers, metrics)],
  ];
  const routeStage = route(options.handlers, metrics);
  const chain = compose(stages.map(([name, stage]) => (traced ? tracedStage(name, stage) : stage)));
  const shutdown = new AbortController();
  const running = new Set<Promise<void>>();
  let accepting = true;

  async function run(ctx: MessageContext): Promise<void> {
    try {
      await chain(ctx);
    } catch (error) {
      await reportError(ctx, error, metrics);
    }
  }

  const contextOf = (
    message: InboundMessage,
    reply: Replier,
    signal: AbortSignal,
    traceId: string | undefined,
  ): MessageContext => ({
    message,
    reply: traceId === undefined ? reply : tracedReplier(reply),
    log: logger.child({ ...messageLogFields(message), ...(traceId === undefined ? {} : { traceId }) }),
    signal,
    role: 'member',
    scopes: new Set<string>(),
  });

  return {
    get inFlight() {
      return running.size;
    },
    async runQueued(message, reply, decisions, signal) {
      const answer = async (traceId?: string): Promise<unknown> => {
        const ctx = Object.assign(contextOf(message, reply, signal, traceId), decisions);
        try {
          await routeStage(ctx, async () => {});
          return undefined;
        } catch (error) {
          await reportError(ctx, error, metrics);
          return error;
        }
      };
      if (!traced) return answer();
      let failure: unknown;
      await inTurnSpan(message, async (traceId) => {
        failure = await answer(traceId);
      });
      return failure;
    },
    handle(message, reply) {
      metrics.received?.(message.platform);
      const contextFor = (traceId?: string): MessageContext =>
        contextOf(message, reply, shutdown.signal, traceId);
      if (!accepting) {
        metrics.stage('pipeline', 'refused_shutdown');
        return reply.notice(RESTARTING_NOTICE).catch((error: unknown) => {
          logger.warn({ ...messageLogFields(message), err: error }, 'could not send the restarting notice');
        });
      }
      const started = traced ? inTurnSpan(message, (traceId) => run(contextFor(traceId))) : run(contextFor());
      const job = started.finally(() => {
        running.delete(job);
        metrics.inFlight(running.size);
      });
      running.add(job);
      metrics.inFlight(running.size);
      return job;
    },
    async drain(deadlineMs) {
      accepting = false;
      const pending = [...running];
      if (await settleWithin(pending, deadlineMs)) return { finished: pending.length, aborted: 0 };
      const aborted = running.size;
      shutdown.abort(new Error('shutting down'));
      await settleWithin([...running], ABORT_GRACE_MS);
      return { finished: pending.length - aborted, aborted };
    },
  };
}

/** How long aborted handlers get to post their last words. */
const ABORT_GRACE_MS = 1_000;

/** True when every promise settled within `ms`. */
async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<boolean> {
  return (await withTimeout(() => Promise.allSettled(promises), ms)).kind === 'done';
}
