type End<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Carries one generation's text chunks from whoever produces them (the scheduler's loop, another
 * thread's messages) to the generation that reads them, then its outcome or error.
 */
export class ChunkChannel<T> {
  private readonly chunks: string[] = [];
  private ending: End<T> | undefined;
  private wake: (() => void) | undefined;

  push(chunk: string): void {
    if (this.ending !== undefined) return;
    this.chunks.push(chunk);
    this.wake?.();
  }

  end(value: T): void {
    this.settle({ ok: true, value });
  }

  fail(error: unknown): void {
    this.settle({ ok: false, error });
  }

  /** Whether the outcome or an error has arrived (chunks may still be unread). */
  get ended(): boolean {
    return this.ending !== undefined;
  }

  private settle(end: End<T>): void {
    if (this.ending !== undefined) return;
    this.ending = end;
    this.wake?.();
  }

  /** Yields the chunks as they come; returns the outcome (or throws the error). */
  async *drain(): AsyncGenerator<string, T, undefined> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        yield chunk;
        continue;
      }
      const ending = this.ending;
      if (ending !== undefined) {
        if (!ending.ok) throw ending.error;
        return ending.value;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}
