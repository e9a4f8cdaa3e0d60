import type { DecodeOutcome } from './decode-types.js';
import type { RowSink } from './row.js';

export type RowOutcome = DecodeOutcome & { queuedMs: number };

type End = { ok: true; value: RowOutcome } | { ok: false; error: unknown };

/** Carries one row's chunks from the scheduler's loop to the generation that reads them. */
export class RowChannel implements RowSink {
  private readonly chunks: string[] = [];
  private ended: End | undefined;
  private wake: (() => void) | undefined;

  push(chunk: string): void {
    if (this.ended !== undefined) return;
    this.chunks.push(chunk);
    this.wake?.();
  }

  end(outcome: RowOutcome): void {
    this.settle({ ok: true, value: outcome });
  }

  fail(error: unknown): void {
    this.settle({ ok: false, error });
  }

  private settle(end: End): void {
    if (this.ended !== undefined) return;
    this.ended = end;
    this.wake?.();
  }

  /** Yields the chunks as they come; returns the outcome (or throws the row's error). */
  async *drain(): AsyncGenerator<string, RowOutcome, undefined> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        yield chunk;
        continue;
      }
      const ended = this.ended;
      if (ended !== undefined) {
        if (!ended.ok) throw ended.error;
        return ended.value;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}
