import type { CircuitBreakerPolicy } from 'cockatiel';
import { isBrokenCircuitError } from 'cockatiel';
import type { Logger } from '../../log/logger.js';
import { sleep } from '../../util/sleep.js';
import { EngineError } from '../errors.js';
import { estimateTextTokens } from '../estimate.js';
import { createGeneration } from '../generation.js';
import type {
  ChatMessage,
  EngineInfo,
  EngineStatus,
  GenerateRequest,
  GenerateResult,
  Generation,
  InferenceEngine,
} from '../types.js';
import { type BreakerOptions, type BreakerState, createBreaker } from './breaker.js';
import { backoffMs, verdictFor } from './policy.js';

export interface Backend {
  /** e.g. 'local', 'remote' (the metrics label). */
  name: string;
  engine: InferenceEngine;
}

export interface RetryOptions {
  /** Retries of a timeout on the same backend (default 3). */
  timeouts?: number;
  /** Retries of an upstream failure on the same backend (default 5). */
  upstream?: number;
  /** First backoff (default 250 ms), doubled per retry up to maxMs (default 10 s). */
  baseMs?: number;
  maxMs?: number;
}

export interface ChainOptions {
  backends: Backend[];
  retry?: RetryOptions;
  breaker?: BreakerOptions;
  /** A cached answer for a request that keeps timing out (the response cache's lookup). */
  cachedAnswer?: (
    model: string,
    request: GenerateRequest,
  ) => Promise<Pick<GenerateResult, 'text' | 'usage' | 'finishReason' | 'model'> | undefined>;
  onBreakerState?: (backend: string, state: BreakerState) => void;
  logger?: Logger;
}

interface Member extends Backend {
  breaker: CircuitBreakerPolicy;
}

/**
 * A fallback chain over backends (ENGINE_CHAIN), each behind a circuit breaker, with the graded
 * policy of policy.ts. Retries and fallbacks happen only before any text reached the caller: once
 * a chunk is out, a failure is the caller's (repeating the answer would duplicate text).
 */
export class ChainEngine implements InferenceEngine {
  private readonly members: Member[];

  constructor(private readonly options: ChainOptions) {
    if (options.backends.length === 0) throw new Error('An engine chain needs at least one backend.');
    this.members = options.backends.map((backend) => ({
      ...backend,
      breaker: createBreaker(options.breaker ?? {}, (state) => options.onBreakerState?.(backend.name, state)),
    }));
  }

  /** The members in the order a request tries them: its preferred backend first, if it names one. */
  private orderFor(request: GenerateRequest): Member[] {
    const preferred = this.members.find((m) => m.name === request.backend);
    return preferred === undefined
      ? this.members
      : [preferred, ...this.members.filter((m) => m !== preferred)];
  }

  private get first(): Member {
    return this.members[0] as Member;
  }

  info(): EngineInfo {
    const { model } = this.first.engine.info();
    const contextLength = Math.min(...this.members.map((m) => m.engine.info().contextLength));
    const name = `chain(${this.members.map((m) => m.name).join(',')})`;
    // It sees when a member does; members that do not get the request without its images (SightGate).
    const vision = this.members.some((m) => m.engine.info().vision === true);
    return { name, model, contextLength, ...(vision ? { vision } : {}) };
  }

  countTokens(messages: ChatMessage[]): number {
    return this.first.engine.countTokens(messages);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Generation {
    const cancelled = (text: string): GenerateResult => ({
      text,
      finishReason: 'cancelled',
      usage: { promptTokens: this.countTokens(request.messages), completionTokens: estimateTextTokens(text) },
      model: this.info().model,
    });
    return createGeneration((abort) => this.run(request, abort), { signal, cancelled });
  }

  private async *run(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<string, GenerateResult> {
    const retry = this.options.retry ?? {};
    const base = retry.baseMs ?? 250;
    const max = retry.maxMs ?? 10_000;
    let lastError: unknown;
    for (const member of this.orderFor(request)) {
      let timeouts = 0;
      let upstream = 0;
      for (;;) {
        let emitted = false;
        try {
          const generation = await this.start(member, request, signal);
          for await (const chunk of generation) {
            emitted = true;
            yield chunk;
          }
          return await generation.result;
        } catch (error) {
          if (emitted || signal.aborted) throw error;
          lastError = error;
          const verdict = verdictFor(error);
          const log = { backend: member.name, err: error, verdict, timeouts, upstream };
          if (verdict === 'fatal') throw error;
          if (verdict === 'timeout' && timeouts < (retry.timeouts ?? 3)) {
            timeouts++;
            this.options.logger?.warn(log, 'inference backend timed out; retrying');
            await sleep(backoffMs(timeouts, base, max), signal);
            continue;
          }
          if (verdict === 'timeout') {
            const cached = await this.options.cachedAnswer?.(this.info().model, request);
            if (cached !== undefined) {
              this.options.logger?.warn(log, 'inference backend keeps timing out; answering from the cache');
              if (cached.text !== '') yield cached.text;
              return { ...cached, cached: true };
            }
          }
          if (verdict === 'upstream' && upstream < (retry.upstream ?? 5)) {
            upstream++;
            this.options.logger?.warn(log, 'inference backend failed; retrying');
            await sleep(backoffMs(upstream, base, max), signal);
            continue;
          }
          this.options.logger?.warn(log, 'inference backend gave up; trying the next one');
          break;
        }
      }
    }
    throw this.finalError(lastError);
  }

  /** Starts a generation through the member's breaker (which then watches its result). */
  private start(member: Member, request: GenerateRequest, signal: AbortSignal): Promise<Generation> {
    return new Promise((resolve, reject) => {
      member.breaker
        .execute(() => {
          const generation = member.engine.generate(request, signal);
          resolve(generation);
          return generation.result;
        })
        .catch(reject); // a no-op once resolved: the generation's own iteration reports its failure
    });
  }

  private finalError(error: unknown): unknown {
    if (!isBrokenCircuitError(error)) return error;
    return new EngineError(
      'unreachable',
      'Every inference backend is failing (their circuit breakers are open); try again shortly.',
      { cause: error },
    );
  }

  async status(): Promise<EngineStatus> {
    const statuses = await Promise.all(
      this.members.map(async (m) => {
        const status = await m.engine.status().catch((e: unknown) => ({ ready: false, detail: String(e) }));
        return { ...status, detail: `${m.name}: ${status.detail}` };
      }),
    );
    return { ready: statuses.some((s) => s.ready), detail: statuses.map((s) => s.detail).join('; ') };
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.engine.close()));
  }
}
