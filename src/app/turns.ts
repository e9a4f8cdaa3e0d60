import type { LimiterStore } from '../bot/limits/types.js';
import type { Middleware } from '../bot/pipeline/compose.js';
import type { TurnPipeline } from '../bot/pipeline/pipeline.js';
import { type ReplyResumer, unsavedProgress } from '../bot/turns/answer-place.js';
import { LocalStopSignals } from '../bot/turns/local-stop-signals.js';
import type { TurnPayload } from '../bot/turns/payload.js';
import { RedisStopSignals } from '../bot/turns/redis-stop-signals.js';
import {
  INTERRUPT_BY,
  replierFor,
  TurnFailed,
  type TurnRunnerDeps,
  turnRunner,
} from '../bot/turns/runner.js';
import { turnStage } from '../bot/turns/stage.js';
import { LocalAttachments } from '../bot/turns/stash.js';
import type { TurnState } from '../bot/turns/state.js';
import type { StopSignals } from '../bot/turns/stop-signals.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import { type TurnMetrics, turnMetrics } from '../metrics/turns.js';
import type { ObjectStore } from '../storage/object/types.js';
import { createTurnQueue } from '../storage/queue/factory.js';
import type { BurstStrategy, TurnQueue } from '../storage/queue/types.js';
import type { RedisConnector } from '../storage/redis/connect.js';

const HOUR_MS = 3_600_000;
const MB = 1024 * 1024;

export type TurnConfig = Pick<
  Config,
  | 'TURN_BURST_WINDOW_MS'
  | 'TURN_BURST_MAX'
  | 'TURN_STRATEGY'
  | 'TURN_QUEUE_PREFIX'
  | 'TURN_LOCK_MS'
  | 'TURN_MAX_RECOVERIES'
  | 'TURN_CONCURRENCY'
  | 'TURN_KEEP_DONE_S'
  | 'TURN_KEEP_FAILED_S'
  | 'DEDUP_TTL_HOURS'
  | 'MEDIA_MAX_VIDEO_MB'
>;

/** Durable turns (docs/turns.md): the queue, its pipeline stage, the stop signals and the runner. */
export interface Turns {
  queue: TurnQueue<TurnPayload, TurnState>;
  /** The pipeline stage that queues accepted messages. */
  stage: Middleware;
  /** Stops running answers on whichever replica runs them (`/stop`, buttons, the API). */
  stops: StopSignals;
  /** Replies rebuilt from handles, by platform: each adapter registers its own before `start`. */
  resumers: Map<string, ReplyResumer>;
  metrics: TurnMetrics;
  /** Starts running queued turns (after the adapters registered their resumers). */
  start(pipeline: Pick<TurnPipeline, 'runQueued'>): void;
  /** Stops taking turns; running ones get `graceMs`, then go back to the queue (Redis) or are dropped. */
  stop(graceMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface TurnWiring {
  config: TurnConfig;
  redis: RedisConnector | undefined;
  objects: ObjectStore;
  limiter?: Pick<LimiterStore, 'charge'>;
  metrics: Pick<Metrics, 'registry'>;
  logger: Logger;
  /** The strategy for a conversation; default TURN_STRATEGY (a per-channel setting plugs in here). */
  strategy?: (conversation: string, payload: TurnPayload) => BurstStrategy;
}

export function createTurns(wiring: TurnWiring): Turns {
  const { config, logger } = wiring;
  const log = logger.child({ component: 'turns' });
  const resumers = new Map<string, ReplyResumer>();
  const local = new LocalAttachments();
  const stops: StopSignals =
    wiring.redis === undefined
      ? new LocalStopSignals()
      : new RedisStopSignals(wiring.redis, config.TURN_QUEUE_PREFIX, log);
  let metrics: TurnMetrics | undefined;
  const queue = createTurnQueue<TurnPayload, TurnState>(
    {
      redis: wiring.redis,
      prefix: config.TURN_QUEUE_PREFIX,
      burstWindowMs: config.TURN_BURST_WINDOW_MS,
      burstMax: config.TURN_BURST_MAX,
      concurrency: config.TURN_CONCURRENCY,
      lockMs: config.TURN_LOCK_MS,
      maxRecoveries: config.TURN_MAX_RECOVERIES,
      keepDoneS: config.TURN_KEEP_DONE_S,
      keepFailedS: config.TURN_KEEP_FAILED_S,
      seenTtlMs: config.DEDUP_TTL_HOURS * HOUR_MS,
    },
    {
      strategy: wiring.strategy ?? (() => config.TURN_STRATEGY),
      interrupt: (conversation) => {
        stops.stopConversation(conversation, { by: INTERRUPT_BY }).catch((error: unknown) => {
          log.warn({ err: error }, 'could not interrupt the running answer');
        });
      },
      failed: async (batch, error) => {
        metrics?.failed();
        if (error instanceof TurnFailed) return;
        log.error({ err: error, turn: batch.id, attempt: batch.attempt }, 'a turn failed for good');
        const last = batch.payloads.at(-1);
        if (last === undefined) return;
        const reply = replierFor({ resumers }, last, unsavedProgress(batch.attempt));
        await reply
          ?.notice('Sorry, I could not answer that message. Please send it again.')
          .catch((noticeError: unknown) => log.warn({ err: noticeError }, 'could not tell the user'));
        // A status line shown while the turn waited must not outlive it.
        await reply?.clearStatus?.().catch(() => {});
      },
    },
  );
  metrics = turnMetrics(wiring.metrics.registry, async () => (await queue.stats()).waiting);
  const turnsMetrics = metrics;
  return {
    queue,
    stage: turnStage({
      queue,
      objects: wiring.objects,
      maxAttachmentBytes: config.MEDIA_MAX_VIDEO_MB * MB,
      local,
    }),
    stops,
    resumers,
    metrics: turnsMetrics,
    start(pipeline) {
      const deps: TurnRunnerDeps = {
        pipeline,
        resumers,
        stops,
        objects: wiring.objects,
        local,
        limiter: wiring.limiter,
        metrics: turnsMetrics,
        log,
      };
      queue.process(turnRunner(deps));
    },
    stop: (graceMs) => queue.stop(graceMs),
    async close() {
      await queue.close();
      await stops.close();
    },
  };
}
