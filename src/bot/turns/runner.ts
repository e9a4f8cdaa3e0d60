import type { Logger } from '../../log/logger.js';
import type { TurnMetrics } from '../../metrics/turns.js';
import type { ObjectStore } from '../../storage/object/types.js';
import { CarryOver, type TurnBatch } from '../../storage/queue/types.js';
import type { LimiterStore } from '../limits/types.js';
import { budgetCharger } from '../limits/usage.js';
import type { Replier } from '../message.js';
import type { TurnPipeline } from '../pipeline/pipeline.js';
import { type AnswerProgress, type ReplyResumer, unsavedProgress } from './answer-place.js';
import { groupTurns, type TurnGroup } from './groups.js';
import { accessOfPayload, messageOf, type TurnPayload } from './payload.js';
import type { LocalAttachments } from './stash.js';
import type { TurnState } from './state.js';
import { StoppedByUser, type StopSignals } from './stop-signals.js';

/** The `by` of the stop a newer message sends its conversation (TURN_STRATEGY=interrupt). */
export const INTERRUPT_BY = 'turns:interrupt';

/** The handler's failure once the sender was told about it: the job fails and stays inspectable. */
export class TurnFailed extends Error {
  override readonly name = 'TurnFailed';
}

export interface TurnRunnerDeps {
  pipeline: Pick<TurnPipeline, 'runQueued'>;
  /** Rebuilds a reply from its handle, by platform (the adapters register theirs at start). */
  resumers: ReadonlyMap<string, ReplyResumer>;
  stops: StopSignals;
  objects: ObjectStore;
  /** Attachments of in-process turns (the stage kept them). */
  local: LocalAttachments;
  limiter?: Pick<LimiterStore, 'charge'> | undefined;
  metrics: TurnMetrics;
  log: Logger;
}

/** The Replier for a payload's handle, or undefined when no adapter here can answer it. */
export function replierFor(
  deps: Pick<TurnRunnerDeps, 'resumers'>,
  payload: TurnPayload,
  progress: AnswerProgress,
): Replier | undefined {
  return deps.resumers.get(payload.reply.platform)?.(payload.reply, progress);
}

/**
 * Runs a batch of a conversation's turns on this replica: each group (merged plain messages, or a
 * command or media message alone) is answered through the route stage with a Replier rebuilt from
 * its handle, registered with the stop signals. Progress (the groups done, where the open answer
 * is shown) is saved in the job, so a replica that continues a dead one's batch rewrites the same
 * message and answers nothing twice.
 */
export function turnRunner(
  deps: TurnRunnerDeps,
): (batch: TurnBatch<TurnPayload, TurnState>) => Promise<void> {
  return async (batch) => {
    // A later run (its replica died), or one with an earlier run's state (handed back at shutdown).
    if (batch.attempt > 1 || batch.state !== undefined) deps.metrics.recovered();
    else deps.metrics.started(Date.now() - batch.enqueuedAt);
    deps.metrics.merged(batch.payloads.length - 1);
    const groups = groupTurns(batch.payloads);
    for (let index = batch.state?.done ?? 0; index < groups.length; index += 1) {
      const { payload, merged } = groups[index] as TurnGroup;
      // Messages answered together with a later one: their status lines go as the answer starts.
      await clearStatuses(deps, merged, batch.attempt);
      const saved = batch.state?.done === index ? batch.state.answer : undefined;
      const progress: AnswerProgress = {
        attempt: batch.attempt,
        saved,
        save: (answer) => batch.saveState({ done: index, answer }),
      };
      const reply = replierFor(deps, payload, progress);
      if (reply === undefined) {
        deps.log.error(
          { platform: payload.reply.platform },
          'no adapter here answers this platform; turn dropped',
        );
        continue;
      }
      await runGroup(deps, batch, payload, reply);
      // Handed back midway (shutdown): the replica that continues answers this message again.
      if (batch.signal.aborted) return;
      await batch.saveState({ done: index + 1 });
    }
    await Promise.all(
      batch.payloads.map((payload) => deps.local.drop(deps.objects, payload.message.attachments)),
    );
  };
}

/** Removes the status lines of these turns' replies (shown while they were queued); never rejects. */
async function clearStatuses(deps: TurnRunnerDeps, payloads: TurnPayload[], attempt: number): Promise<void> {
  const progress = unsavedProgress(attempt);
  await Promise.all(
    payloads.map((payload) =>
      replierFor(deps, payload, progress)
        ?.clearStatus?.()
        .catch((error: unknown) => deps.log.debug({ err: error }, 'could not clear a status line')),
    ),
  );
}

async function runGroup(
  deps: TurnRunnerDeps,
  batch: TurnBatch<TurnPayload, TurnState>,
  payload: TurnPayload,
  reply: Replier,
): Promise<void> {
  const message = messageOf(payload, (key, signal) => deps.local.open(deps.objects, key, signal));
  const registration = deps.stops.register({
    conversation: batch.conversation,
    platform: message.platform,
    workspace: message.workspace,
    chat: message.chat.id,
    userId: message.user.id,
  });
  const signal = AbortSignal.any([batch.signal, registration.signal]);
  const usage = payload.usage;
  const access = accessOfPayload(payload);
  let failure: unknown;
  try {
    failure = await deps.pipeline.runQueued(
      message,
      reply,
      {
        role: payload.role,
        scopes: new Set(payload.scopes),
        ...(access === undefined ? {} : { access }),
        ...(payload.channel === undefined ? {} : { channel: payload.channel }),
        ...(usage === undefined || deps.limiter === undefined
          ? {}
          : { usageBudget: usage, chargeUsage: budgetCharger(deps.limiter, usage) }),
      },
      signal,
    );
  } finally {
    registration.release();
  }
  const stop = registration.signal.reason;
  if (registration.signal.aborted && stop instanceof StoppedByUser) {
    const interrupted = stop.by === INTERRUPT_BY;
    deps.metrics.cancelled(interrupted ? 'interrupt' : 'user');
    // The stopped answer stays as shown; its question is answered again with the newer one.
    if (interrupted) throw new CarryOver('interrupted by a newer message');
    return;
  }
  if (failure !== undefined && !batch.signal.aborted) {
    // The sender was told; a status line shown while the turn waited must not outlive it.
    await reply.clearStatus?.().catch((error: unknown) => {
      deps.log.debug({ err: error }, 'could not clear the status line');
    });
    throw new TurnFailed(failure instanceof Error ? failure.message : String(failure));
  }
}
