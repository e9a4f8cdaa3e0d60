import type { Logger } from '../../log/logger.js';
import { sleep } from '../../util/sleep.js';
import { EngineError, RESTARTED_MESSAGE } from '../errors.js';
import { estimateMessageTokens, estimateTextTokens } from '../estimate.js';
import { createGeneration } from '../generation.js';
import {
  type ChatMessage,
  type EngineInfo,
  type EngineLoad,
  type EngineStatus,
  type GenerateRequest,
  type GenerateResult,
  type Generation,
  type InferenceEngine,
  RESTART_CHUNK,
} from '../types.js';
import { type EndpointOptions, WorkerEndpoint } from './worker-endpoint.js';

export interface PoolOptions extends Omit<EndpointOptions, 'url'> {
  /** ENGINE_URLS: inference workers (`teambot worker`) or any OpenAI-compatible servers. */
  urls: readonly string[];
  /** How often each worker's /health and /load are read (ENGINE_HEALTH_INTERVAL_MS). */
  healthIntervalMs: number;
  /**
   * ENGINE_WAIT_MS: when no worker is healthy (all restarting, say), how long a request waits for
   * one to pass its health check again before it fails as unreachable; default 0 (fail at once).
   */
  waitForWorkerMs?: number;
  logger?: Logger;
}

/** Worker failures that another worker may not have: move the request. */
const MOVABLE = new Set(['unreachable', 'upstream', 'timeout', 'protocol', 'restarted']);
/** A worker with no room now: try another, and say busy when none has room. */
const FULL = new Set(['busy', 'rate_limited']);

const codeOf = (error: unknown) => (error instanceof EngineError ? error.code : undefined);

/**
 * The gateway's engine over inference workers: each request goes to the least-loaded healthy worker;
 * workers failing their health check get nothing until they pass again. A worker that fails a request
 * (it died, it hangs) loses it to another; when text had already been streamed, the answer starts over
 * there and the caller gets RESTART_CHUNK first (chat messages are rewritten in place) — or, for a
 * caller that cannot rewrite, a retryable 'restarted' error.
 */
export class PoolEngine implements InferenceEngine {
  readonly endpoints: WorkerEndpoint[];
  private readonly timer: NodeJS.Timeout;
  private checking: Promise<void> | undefined;
  private turn = 0;

  private constructor(private readonly options: PoolOptions) {
    this.endpoints = options.urls.map((url) => new WorkerEndpoint({ ...options, url }));
    this.timer = setInterval(() => void this.checkAll(), options.healthIntervalMs);
    this.timer.unref();
  }

  /** The pool, after a first health check of every worker (none need be up yet). */
  static async open(options: PoolOptions): Promise<PoolEngine> {
    if (options.urls.length === 0) throw new Error('ENGINE_URLS names no inference worker.');
    const pool = new PoolEngine(options);
    await pool.checkAll();
    return pool;
  }

  info(): EngineInfo {
    const up = this.endpoints.find((e) => e.healthy) ?? this.endpoints[0];
    const healthy = this.endpoints.filter((e) => e.healthy);
    // Images go to the workers only when every healthy one looks at them (else the gate strips them).
    const vision = healthy.length > 0 && healthy.every((e) => e.sees);
    return {
      name: 'workers',
      model: up?.engine.info().model ?? 'auto',
      contextLength: this.options.contextLength,
      ...(vision ? { vision: true } : {}),
    };
  }

  countTokens(messages: ChatMessage[]): number {
    return estimateMessageTokens(messages);
  }

  /** The sum over healthy workers of what they reported (in-flight requests where they report none). */
  load(): EngineLoad {
    const sum: EngineLoad = { running: 0, waiting: 0, tokensInFlight: 0, capacity: 0 };
    for (const endpoint of this.endpoints.filter((e) => e.healthy)) {
      const load = endpoint.load() ?? {
        running: endpoint.inFlight,
        waiting: 0,
        tokensInFlight: 0,
        capacity: 1,
      };
      sum.running += load.running;
      sum.waiting += load.waiting;
      sum.tokensInFlight += load.tokensInFlight;
      sum.capacity += load.capacity;
    }
    return sum;
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    return createGeneration((inner) => this.run(request, inner), {
      signal,
      cancelled: (text) => ({
        text,
        finishReason: 'cancelled',
        usage: {
          promptTokens: this.countTokens(request.messages),
          completionTokens: estimateTextTokens(text),
        },
        model: this.info().model,
      }),
    });
  }

  async status(): Promise<EngineStatus> {
    const up = this.endpoints.filter((e) => e.healthy);
    const down = this.endpoints.filter((e) => !e.healthy).map((e) => `${e.root} (${e.problem})`);
    const detail = `${up.length} of ${this.endpoints.length} inference workers healthy${
      down.length > 0 ? `; down: ${down.join(', ')}` : ''
    }`;
    return { ready: up.length > 0, detail };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }

  /** Reads every worker's health and load now (also what the interval does). */
  checkAll(): Promise<void> {
    this.checking ??= Promise.all(
      this.endpoints.map(async (endpoint) => {
        const was = endpoint.healthy;
        await endpoint.check(Math.min(2_000, this.options.healthIntervalMs * 2));
        if (was !== endpoint.healthy) this.logChange(endpoint);
      }),
    ).then(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async *run(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<string, GenerateResult> {
    const { restartable, ...forward } = request;
    const tried = new Set<WorkerEndpoint>();
    let shown = false;
    let full: EngineError | undefined;
    let waitUntil: number | undefined;
    for (;;) {
      const endpoint = this.pick(tried);
      if (endpoint === undefined) {
        // None healthy and none merely full: wait (bounded) for a worker to come back, then try all again.
        if (full !== undefined) throw this.noWorker(full);
        waitUntil ??= Date.now() + (this.options.waitForWorkerMs ?? 0);
        if (!(await this.untilHealthy(waitUntil, signal))) throw this.noWorker(full);
        tried.clear();
        continue;
      }
      tried.add(endpoint);
      endpoint.inFlight++;
      try {
        const generation = endpoint.engine.generate(forward, signal);
        for await (const chunk of generation) {
          shown = true;
          yield chunk;
        }
        return await generation.result;
      } catch (error) {
        if (signal.aborted) throw error;
        const code = codeOf(error);
        if (code !== undefined && FULL.has(code)) {
          full = error as EngineError;
          continue;
        }
        if (code === undefined || !MOVABLE.has(code)) throw error;
        endpoint.markDown(error);
        this.logChange(endpoint);
        if (shown) {
          if (restartable !== true) throw new EngineError('restarted', RESTARTED_MESSAGE, { cause: error });
          yield RESTART_CHUNK;
          shown = false;
        }
      } finally {
        endpoint.inFlight--;
      }
    }
  }

  /** Reads the workers' health every interval until one is healthy (true) or `deadline` passes. */
  private async untilHealthy(deadline: number, signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (this.endpoints.some((e) => e.healthy)) return true;
      const left = deadline - Date.now();
      if (left <= 0 || signal.aborted) return false;
      await sleep(Math.min(left, this.options.healthIntervalMs), signal).catch(() => undefined);
      await this.checkAll();
    }
  }

  /** The healthy worker with the lowest load not tried yet for this request (round robin on ties). */
  private pick(tried: ReadonlySet<WorkerEndpoint>): WorkerEndpoint | undefined {
    const candidates = this.endpoints.filter((e) => e.healthy && !tried.has(e));
    if (candidates.length === 0) return undefined;
    const start = this.turn++ % this.endpoints.length;
    const ordered = [...this.endpoints.slice(start), ...this.endpoints.slice(0, start)].filter((e) =>
      candidates.includes(e),
    );
    return ordered.reduce((best, e) => (e.score() < best.score() ? e : best));
  }

  private noWorker(full: EngineError | undefined): EngineError {
    if (full !== undefined) {
      return new EngineError('busy', 'Every inference worker is busy.', {
        retryAfterMs: full.retryAfterMs ?? 5_000,
      });
    }
    return new EngineError('unreachable', 'No inference worker is healthy right now.', {
      retryAfterMs: this.options.healthIntervalMs * 2,
    });
  }

  private logChange(endpoint: WorkerEndpoint): void {
    if (endpoint.healthy) this.options.logger?.info({ worker: endpoint.root }, 'inference worker is back');
    else
      this.options.logger?.warn(
        { worker: endpoint.root, problem: endpoint.problem },
        'inference worker is down; sending nothing to it until it passes its health check',
      );
  }
}
