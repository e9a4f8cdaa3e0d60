import { EngineError } from '../errors.js';
import type { DecodeOutcome, DecodeParams } from '../onnx/decode-loop.js';
import { OnnxEngine, type OnnxEngineOptions } from '../onnx/engine.js';
import type { LoadedModel } from '../onnx/load-model.js';
import type { GenerateRequest } from '../types.js';
import { RowChannel } from './channel.js';
import type { BatchMetrics } from './metrics.js';
import { BatchScheduler, type SchedulerStats } from './scheduler.js';
import type { BatchSettings } from './settings.js';

export interface BatchedEngineOptions extends OnnxEngineOptions {
  batch: BatchSettings;
  metrics?: BatchMetrics;
  /** The clock of per-request deadlines (tests move it); performance.now() by default. */
  clock?: () => number;
}

/** Whether the graph can decode left-padded rows together: it needs an attention mask and position ids. */
export function graphCanBatch(model: LoadedModel): boolean {
  return model.spec.attentionMask !== undefined && model.spec.positionIds !== undefined;
}

/**
 * The local engine with continuous batching: the same prompt handling as OnnxEngine, but every
 * generation is a row of the shared BatchScheduler instead of a turn behind a lock.
 */
export class BatchedEngine extends OnnxEngine {
  private readonly scheduler: BatchScheduler;

  constructor(model: LoadedModel, options: BatchedEngineOptions) {
    super(model, options);
    this.scheduler = new BatchScheduler(
      { session: model.opened.session, spec: model.spec, tokenizer: model.tokenizer.tokenizer },
      {
        settings: options.batch,
        metrics: options.metrics,
        canBatch: graphCanBatch(model),
        clock: options.clock,
      },
    );
  }

  /** Rows running and waiting, decode steps, and the stalls newcomers' prefills caused. */
  batchStats(): SchedulerStats {
    return this.scheduler.stats();
  }

  protected override async *decode(
    promptIds: number[],
    params: DecodeParams,
    request: Omit<GenerateRequest, 'messages'>,
    signal: AbortSignal,
  ): AsyncGenerator<string, { outcome: DecodeOutcome; queuedMs: number }, undefined> {
    const { timeoutMs } = request;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      throw new EngineError('bad_request', `timeoutMs must be a number of 0 or more; got ${timeoutMs}.`);
    }
    const channel = new RowChannel();
    const submittedAt = performance.now();
    this.scheduler.submit({
      promptIds,
      params,
      user: request.user,
      deadline: timeoutMs === undefined ? undefined : this.scheduler.clock() + timeoutMs,
      signal,
      sink: channel,
      submittedAt,
    });
    const outcome = yield* channel.drain();
    return { outcome, queuedMs: outcome.queuedMs };
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    await this.scheduler.close();
    await super.close();
  }
}
