import { type StepTimer, stepTimer } from '../onnx/timings.js';
import { createRng } from '../sampling/rng.js';
import { sampleToken } from '../sampling/sample.js';
import { IncrementalDecoder } from '../text/incremental-decoder.js';
import { StopMatcher } from '../text/stop-matcher.js';
import type { TextTokenizer } from '../text/tokenizer.js';
import type { FinishReason } from '../types.js';
import type { VisionPrompt } from '../vision/prompt.js';
import type { DecodeOutcome, DecodeParams } from './decode-types.js';

/** Where a row's text goes: the generation that asked for it. */
export interface RowSink {
  push(chunk: string): void;
  end(outcome: DecodeOutcome & { queuedMs: number }): void;
  fail(error: unknown): void;
}

/** One request as the scheduler holds it, from submission to its end. */
export interface RowJob {
  promptIds: readonly number[];
  params: DecodeParams;
  /** The per-user cap counts rows by this; undefined is never capped. */
  user?: string;
  /** When the answer must be finished by, on the scheduler's clock (performance.now()), if any. */
  deadline?: number;
  signal: AbortSignal;
  sink: RowSink;
  submittedAt: number;
  /** A prompt with pictures (its ids are `promptIds`): prefilled alone by vision/prefill.ts. */
  vision?: VisionPrompt;
}

/** KV positions a request can take: its prompt plus its whole answer budget. */
export function tokensNeeded(job: Pick<RowJob, 'promptIds' | 'params'>): number {
  return job.promptIds.length + job.params.maxNewTokens;
}

/**
 * One running sequence: sampling (its own parameters and seeded RNG), stop strings and
 * incremental detokenizing. The only place these happen, whether the row runs alone or in a batch.
 */
export class Row {
  readonly timer: StepTimer;
  readonly queuedMs: number;
  private readonly decoder: IncrementalDecoder;
  private readonly stops: StopMatcher;
  private readonly rng: () => number;
  private readonly history: number[];
  readonly tokens: number[] = [];
  private text = '';
  private reason: FinishReason = 'length';
  private stopped = false;
  /** Set once the row has finished (its sink was told). */
  done = false;
  /** The token to feed at the next step. */
  next = -1;

  constructor(
    readonly job: RowJob,
    tokenizer: TextTokenizer,
    now: number,
  ) {
    this.timer = stepTimer();
    this.queuedMs = now - job.submittedAt;
    this.decoder = new IncrementalDecoder(tokenizer);
    this.stops = new StopMatcher([...job.params.stop]);
    this.rng = createRng(job.params.seed);
    this.history = [...job.promptIds];
  }

  get user(): string | undefined {
    return this.job.user;
  }

  get promptLength(): number {
    return this.job.promptIds.length;
  }

  get need(): number {
    return tokensNeeded(this.job);
  }

  /** Position of the token fed at the next step. */
  get position(): number {
    // A vision prompt's M-RoPE positions end below its length: its answer continues from there.
    return this.job.promptIds.length + this.tokens.length - 1 + (this.job.vision?.positions.delta ?? 0);
  }

  /**
   * Takes the logits of this row's last position: samples, emits, and says whether the row goes on
   * (then `next` is the token to feed). A row that ends is finished here.
   */
  accept(logits: Float32Array): boolean {
    const { params, signal } = this.job;
    if (signal.aborted) return this.finish('cancelled');
    const token = sampleToken(logits, params, { previousIds: this.history, rng: this.rng });
    this.timer.token();
    if (params.eosIds.has(token)) return this.finish('stop');
    this.tokens.push(token);
    this.history.push(token);
    const pushed = this.stops.push(this.decoder.push(token));
    this.stopped = pushed.stopped;
    this.emit(pushed.emit);
    if (this.stopped) return this.finish('stop');
    if (this.tokens.length >= params.maxNewTokens) return this.finish('length');
    this.next = token;
    return true;
  }

  /** Ends the row with `reason` (text still held back by the stop matcher is flushed first). */
  finish(reason: FinishReason): false {
    if (this.done) return false;
    this.done = true;
    this.reason = reason;
    if (!this.stopped && reason !== 'cancelled') {
      const tail = this.stops.push(this.decoder.flush());
      this.stopped = tail.stopped;
      this.emit(tail.emit + (this.stopped ? '' : this.stops.flush()));
      if (this.stopped) this.reason = 'stop';
    }
    this.job.sink.end({
      text: this.text,
      tokens: this.tokens,
      finishReason: this.reason,
      timings: this.timer.done(),
      queuedMs: this.queuedMs,
    });
    return false;
  }

  /** Ends the row with an error. */
  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.job.sink.fail(error);
  }

  private emit(chunk: string): void {
    if (chunk === '') return;
    this.text += chunk;
    this.job.sink.push(chunk);
  }
}
