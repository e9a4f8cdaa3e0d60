import type { Worker } from 'node:worker_threads';
import type { Logger } from '../../log/logger.js';
import { recordSpans } from '../../tracing/records.js';
import { traceHeaders } from '../../tracing/spans.js';
import type { ThreadPriority } from '../../util/thread-priority.js';
import { closeWorkerThread, siblingModule, startWorkerThread } from '../../util/worker-thread.js';
import { type BatchMetrics, NO_BATCH_METRICS } from '../batching/metrics.js';
import type { SchedulerStats } from '../batching/scheduler.js';
import { ChunkChannel } from '../chunk-channel.js';
import { EngineError, RESTARTED_MESSAGE } from '../errors.js';
import { createGeneration } from '../generation.js';
import { enginePhases } from '../observe/phases.js';
import type {
  ChatMessage,
  EngineInfo,
  EngineLoad,
  EngineStatus,
  GenerateRequest,
  GenerateResult,
  Generation,
  InferenceEngine,
} from '../types.js';
import { Outbox } from './outbox.js';
import { PromptCounter } from './prompt-counter.js';
import type { EngineThreadData, FromEngineThread, ToEngineThread } from './protocol.js';
import { RestartPolicy } from './restart-policy.js';
import { fromWire } from './wire-error.js';

export interface ThreadEngineOptions {
  data: EngineThreadData;
  metrics?: BatchMetrics;
  logger?: Logger;
  /** First wait before a dead engine thread is started again (doubled per failed start, up to 10 s). */
  restartDelayMs?: number;
  /** How long a request waits for a restarting engine thread before it fails as unreachable. */
  restartWaitMs?: number;
}

type Ready = Extract<FromEngineThread, { type: 'ready' }>;
type Work = Extract<ToEngineThread, { type: 'generate' | 'complete' }>;
type WorkBody = Work extends infer W ? (W extends Work ? Omit<W, 'id'> : never) : never;

const closedError = () => new EngineError('unreachable', 'The engine is closed.');

/**
 * The local engine in its own thread (worker_threads): the main thread keeps this same
 * InferenceEngine interface and does no per-token model work. Text chunks, results, errors
 * (EngineError codes, busy with retry-after) and cancellation cross a small message protocol;
 * the scheduler's metrics come back to this thread's registry. A thread that dies is started again;
 * the requests it held end with a retryable 'restarted' error.
 */
export class ThreadEngine implements InferenceEngine {
  private worker: Worker | undefined;
  private ready: Ready;
  private readonly pending = new Map<number, ChunkChannel<GenerateResult>>();
  /** Per engine thread: work and cancellations of one tick go as one message. */
  private readonly outboxes = new WeakMap<Worker, Outbox<ToEngineThread>>();
  private readonly statsWaiters = new Map<
    number,
    { resolve: (stats: SchedulerStats) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private closing = false;
  /** The engine thread's last busy estimate, reused when this thread refuses a request itself. */
  private lastRetryAfterMs: number | undefined;
  private latestLoad: EngineLoad;
  private readonly restarts: RestartPolicy<Worker>;
  private readonly metrics: BatchMetrics;

  private constructor(
    private readonly options: ThreadEngineOptions,
    private readonly counter: PromptCounter,
    first: { worker: Worker; ready: Ready },
  ) {
    this.metrics = options.metrics ?? NO_BATCH_METRICS;
    this.ready = first.ready;
    this.latestLoad = { running: 0, waiting: 0, tokensInFlight: 0, capacity: first.ready.capacity };
    this.restarts = new RestartPolicy({
      start: () => this.spawn(),
      initialDelayMs: options.restartDelayMs ?? 250,
      logger: options.logger,
    });
    this.adopt(first.worker);
    const { priority } = first.ready;
    if ('unsupported' in priority && (options.data.nice ?? 0) > 0)
      options.logger?.warn({ reason: priority.unsupported }, 'the engine thread keeps the process priority');
    else if (!('unsupported' in priority))
      options.logger?.info({ nice: priority.nice, tid: priority.tid }, 'engine thread priority lowered');
  }

  /** The engine thread's priority as it set it (INFERENCE_THREAD_NICE), or why it could not. */
  threadPriority(): ThreadPriority {
    return this.ready.priority;
  }

  /** Starts the engine thread and waits until its model is open (its error when it cannot open). */
  static async open(options: ThreadEngineOptions): Promise<ThreadEngine> {
    const counter = await PromptCounter.open(options.data.model.dir);
    const first = await startEngineThread(options.data);
    return new ThreadEngine(options, counter, first);
  }

  info(): EngineInfo {
    return this.ready.info;
  }

  device(): { device: string; dtype?: string; reason: string } {
    return this.ready.device;
  }

  /** Rows running, requests waiting and tokens in flight, as the engine thread last reported them. */
  load(): EngineLoad {
    return { ...this.latestLoad };
  }

  /** The scheduler's counters (rows, steps, stalls), asked of the engine thread. */
  batchStats(): Promise<SchedulerStats> {
    const worker = this.worker;
    if (worker === undefined)
      return Promise.reject(new EngineError('unreachable', 'The engine thread is restarting.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.statsWaiters.set(id, { resolve, reject });
      this.outboxes.get(worker)?.flush();
      worker.postMessage({ type: 'stats', id } satisfies ToEngineThread);
    });
  }

  /** How many times the engine thread was started again after it died. */
  get restartCount(): number {
    return this.restarts.count;
  }

  countTokens(messages: ChatMessage[]): number {
    return this.counter.count(messages);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    return this.start({ type: 'generate', request }, signal, () => this.countTokens(request.messages));
  }

  /** A raw completion (no chat template), as the local engine's `complete`. */
  complete(
    request: Omit<GenerateRequest, 'messages'> & { prompt: string },
    signal?: AbortSignal,
  ): Generation {
    return this.start({ type: 'complete', request }, signal, () => 0);
  }

  /** Answered on this thread: a probe never waits for a forward pass in the engine thread. */
  async status(): Promise<EngineStatus> {
    if (this.closing) return { ready: false, detail: 'closed' };
    if (this.worker === undefined) return { ready: false, detail: 'the engine thread is restarting' };
    const { info, device } = this.ready;
    return {
      ready: true,
      detail: `${info.model} on ${device.device}${device.dtype ? ` (${device.dtype})` : ''}: ${device.reason}`,
    };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.restarts.stop();
    const worker = this.worker;
    this.worker = undefined;
    for (const channel of this.pending.values()) channel.fail(closedError());
    if (worker === undefined) return;
    this.outboxes.get(worker)?.flush();
    await closeWorkerThread(worker, { type: 'close' } satisfies ToEngineThread);
  }

  /**
   * Test hook: the engine thread exits abruptly with requests in flight, as a crash would (between
   * two forward passes: terminating a thread inside onnxruntime's run is not safe); it is started again.
   */
  async killThreadForTest(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.outboxes.get(worker)?.flush();
    worker.postMessage({ type: 'exit' } satisfies ToEngineThread);
    await exited;
  }

  private busyHere(): EngineError {
    return new EngineError(
      'busy',
      `The engine is busy: ${this.pending.size} requests running or waiting (at most ${this.ready.holds}).`,
      { retryAfterMs: this.lastRetryAfterMs ?? 1_000 },
    );
  }

  private start(work: WorkBody, signal: AbortSignal | undefined, promptTokens: () => number): Generation {
    return createGeneration((inner) => this.run(work, inner), {
      signal,
      cancelled: (text) => ({
        text,
        usage: { promptTokens: promptTokens(), completionTokens: 0 },
        finishReason: 'cancelled',
        model: this.info().model,
      }),
    });
  }

  private async *run(work: WorkBody, signal: AbortSignal): AsyncGenerator<string, GenerateResult, undefined> {
    if (this.closing) throw closedError();
    // The engine thread would refuse it: say so now, without a round trip that may wait behind a
    // forward pass (a busy verdict should be as quick as an ack).
    if (this.pending.size >= this.ready.holds) {
      this.metrics.rejected('busy');
      throw this.busyHere();
    }
    const worker = this.worker ?? (await this.waitForRestart(signal));
    const id = this.nextId++;
    const channel = new ChunkChannel<GenerateResult>();
    this.pending.set(id, channel);
    const outbox = this.outboxFor(worker);
    const cancel = () => outbox.send({ type: 'cancel', id });
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const { traceparent } = traceHeaders();
      outbox.send({
        ...work,
        id,
        ...(traceparent === undefined ? {} : { traceparent }),
      } as ToEngineThread);
      return yield* channel.drain();
    } finally {
      signal.removeEventListener('abort', cancel);
      if (!channel.ended && this.worker === worker) cancel();
      this.pending.delete(id);
    }
  }

  private outboxFor(worker: Worker): Outbox<ToEngineThread> {
    let outbox = this.outboxes.get(worker);
    if (outbox === undefined) {
      outbox = new Outbox((batch) =>
        worker.postMessage(
          batch.length === 1 ? batch[0] : ({ type: 'batch', messages: [...batch] } as const),
        ),
      );
      this.outboxes.set(worker, outbox);
    }
    return outbox;
  }

  private async waitForRestart(signal: AbortSignal): Promise<Worker> {
    const waitMs = this.options.restartWaitMs ?? 30_000;
    const worker = await this.restarts.whenStarted(waitMs, signal);
    if (worker === undefined || this.worker === undefined) {
      throw new EngineError(
        'unreachable',
        `The model is restarting; it did not come back within ${waitMs} ms.`,
        {
          retryAfterMs: 5_000,
        },
      );
    }
    return this.worker;
  }

  private async spawn(): Promise<Worker> {
    const started = await startEngineThread(this.options.data);
    if (this.closing) {
      await started.worker.terminate();
      throw closedError();
    }
    this.ready = started.ready;
    this.adopt(started.worker);
    return started.worker;
  }

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.on('message', (message: FromEngineThread) => this.onMessage(message));
    let failure: Error | undefined;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.once('exit', (code) => this.onExit(worker, code, failure));
  }

  private onMessage(message: FromEngineThread): void {
    switch (message.type) {
      case 'chunk':
        this.pending.get(message.id)?.push(message.text);
        return;
      case 'done':
        this.pending.get(message.id)?.end(message.result);
        return;
      case 'error': {
        const error = fromWire(message.error);
        if (error instanceof EngineError && error.code === 'busy') this.lastRetryAfterMs = error.retryAfterMs;
        this.pending.get(message.id)?.fail(error);
        return;
      }
      case 'load':
        this.latestLoad = message.load;
        return;
      case 'spans':
        recordSpans(message.traceparent, enginePhases(message.timings, Date.now()));
        return;
      case 'stats':
        this.statsWaiters.get(message.id)?.resolve(message.stats);
        this.statsWaiters.delete(message.id);
        return;
      case 'metric':
        if (message.name === 'rejected') this.metrics.rejected(message.value);
        else if (message.name === 'batchSize') this.metrics.batchSize(message.value);
        else if (message.name === 'prefixCache') this.metrics.prefixCache?.(message.value);
        else this.metrics.queueDepth(message.value);
        return;
      default:
        return;
    }
  }

  private onExit(worker: Worker, code: number, failure: Error | undefined): void {
    if (this.worker !== worker || this.closing) return;
    this.worker = undefined;
    this.latestLoad = { ...this.latestLoad, running: 0, waiting: 0, tokensInFlight: 0 };
    this.metrics.queueDepth(0);
    const held = [...this.pending.values()];
    for (const channel of held) channel.fail(new EngineError('restarted', RESTARTED_MESSAGE));
    for (const waiter of this.statsWaiters.values())
      waiter.reject(new EngineError('restarted', RESTARTED_MESSAGE));
    this.statsWaiters.clear();
    this.options.logger?.error(
      { err: failure, exitCode: code, requests: held.length },
      'the engine thread died; starting it again',
    );
    this.restarts.begin();
  }
}

/** Starts one engine thread and waits for its model to open. */
function startEngineThread(data: EngineThreadData): Promise<{ worker: Worker; ready: Ready }> {
  const worker = startWorkerThread(siblingModule(import.meta.url, 'engine-worker'), {
    workerData: data,
    name: 'teambot-engine',
  });
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    const onMessage = (message: FromEngineThread) => {
      if (message.type === 'ready') {
        cleanup();
        resolve({ worker, ready: message });
      } else if (message.type === 'open_failed') {
        failure = fromWire(message.error);
        void worker.terminate();
      }
    };
    const onError = (error: Error) => {
      failure ??= error;
    };
    const onExit = (code: number) => {
      cleanup();
      reject(failure ?? new Error(`The engine thread exited with code ${code} while opening the model.`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
