import type { KeyValueStore } from '../../storage/kv/types.js';
import type { Middleware } from './compose.js';
import type { PipelineMetrics } from './metrics.js';

export interface DedupOptions {
  kv: KeyValueStore;
  ttlMs: number;
  metrics: PipelineMetrics;
}

/**
 * Processes each platform delivery once, across replicas: the first to claim the id in the
 * KV store (SET NX) goes on, every other copy stops here. If the store fails, the message is
 * processed (a rare double answer beats a lost one) and the failure is logged and counted.
 */
export function dedup({ kv, ttlMs, metrics }: DedupOptions): Middleware {
  if (ttlMs <= 0) throw new RangeError('dedup ttlMs must be positive');
  return async (ctx, next) => {
    const { platform, workspace, id } = ctx.message;
    let first: boolean;
    try {
      first = await kv.setIfAbsent(`dedup:${platform}:${workspace}:${id}`, '1', ttlMs);
    } catch (error) {
      ctx.log.warn({ err: error }, 'dedup check failed; processing the message anyway');
      metrics.stage('dedup', 'store_error');
      return next();
    }
    if (!first) {
      ctx.log.debug('duplicate delivery dropped');
      metrics.stage('dedup', 'duplicate');
      return;
    }
    metrics.stage('dedup', 'passed');
    return next();
  };
}
