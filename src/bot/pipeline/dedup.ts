import type { KeyValueStore } from '../../storage/kv/types.js';
import type { Middleware } from './compose.js';
import type { PipelineMetrics } from './metrics.js';

export interface DedupOptions {
  kv: KeyValueStore;
  ttlMs: number;
  metrics: PipelineMetrics;
  /**
   * Let a copy through when the first copy's claim is not final yet (its replica may have died before
   * queueing it). Only where a later stage takes each message id once (the durable turn queue);
   * otherwise such a copy is dropped, as a duplicate racing the original would be answered twice.
   */
  retryUnfinished?: boolean;
}

const CLAIMED = 'claim';
const DONE = 'done';

/**
 * Processes each platform delivery once, across replicas. The first copy claims the id in the KV
 * store (SET NX) and goes on; once the pipeline accepted it (a durable turn queued, or answering it
 * here began: `message.accepted`) or was done with it, the claim becomes final and every later copy
 * stops here. With `retryUnfinished` (durable turns), a copy that finds a claim not yet final goes on
 * too: the replica that claimed it may have died before queueing it (the platform's retry must not be
 * dropped then), and the turn queue queues an id once, so a live claimant's copy is not answered twice. If the store fails, the
 * message is processed (a rare double answer beats a lost one) and the failure is logged and counted.
 */
export function dedup({ kv, ttlMs, metrics, retryUnfinished = false }: DedupOptions): Middleware {
  if (ttlMs <= 0) throw new RangeError('dedup ttlMs must be positive');
  return async (ctx, next) => {
    const { platform, workspace, id } = ctx.message;
    const key = `dedup:${platform}:${workspace}:${id}`;
    let seen: string | null = null;
    try {
      if (!(await kv.setIfAbsent(key, CLAIMED, ttlMs))) seen = await kv.get(key);
    } catch (error) {
      ctx.log.warn({ err: error }, 'dedup check failed; processing the message anyway');
      metrics.stage('dedup', 'store_error');
      return next();
    }
    if (seen === DONE || (seen !== null && !retryUnfinished)) {
      ctx.log.debug('duplicate delivery dropped');
      metrics.stage('dedup', 'duplicate');
      return;
    }
    metrics.stage('dedup', seen === null ? 'passed' : 'unfinished_claim');
    let final = false;
    const finish = () => {
      if (final) return;
      final = true;
      kv.set(key, DONE, ttlMs).catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'could not mark the delivery as handled');
      });
    };
    const accepted = ctx.message.accepted;
    ctx.message.accepted = () => {
      finish();
      accepted?.();
    };
    try {
      return await next();
    } finally {
      finish();
    }
  };
}
