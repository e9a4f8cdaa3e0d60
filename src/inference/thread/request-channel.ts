import type { GenerateResult } from '../types.js';

/** One request's answer as it arrives from another thread: chunks, then a result or an error. */
export class RequestChannel {
  private readonly chunks: string[] = [];
  private end: { ok: true; result: GenerateResult } | { ok: false; error: Error } | undefined;
  private wake: (() => void) | undefined;

  push(text: string): void {
    this.chunks.push(text);
    this.wake?.();
  }

  finish(result: GenerateResult): void {
    this.end ??= { ok: true, result };
    this.wake?.();
  }

  fail(error: Error): void {
    this.end ??= { ok: false, error };
    this.wake?.();
  }

  get ended(): boolean {
    return this.end !== undefined;
  }

  /** Yields the chunks as they come; returns the result, or throws the error. */
  async *drain(): AsyncGenerator<string, GenerateResult, undefined> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        yield chunk;
        continue;
      }
      if (this.end !== undefined) {
        if (this.end.ok) return this.end.result;
        throw this.end.error;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}
