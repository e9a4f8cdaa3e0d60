/**
 * Recent completions, to tell a refused caller roughly when a row frees up: the time the queue
 * ahead of it takes at the rate requests have been finishing lately.
 */
export class Throughput {
  private readonly ends: number[] = [];
  private readonly durations: number[] = [];

  constructor(
    private readonly window = 32,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records one finished request and how long it ran. */
  finished(durationMs: number): void {
    this.ends.push(this.now());
    this.durations.push(durationMs);
    if (this.ends.length > this.window) this.ends.shift();
    if (this.durations.length > this.window) this.durations.shift();
  }

  /**
   * Milliseconds until `ahead` more requests have finished, with `slots` rows running at once:
   * from the recent completion rate when there is one, else from recent durations, else a guess.
   * Clamped to [1 s, 5 min].
   */
  retryAfterMs(ahead: number, slots: number): number {
    let estimate: number;
    const n = this.ends.length;
    const span = n >= 2 ? (this.ends[n - 1] as number) - (this.ends[0] as number) : 0;
    if (n >= 4 && span > 0) {
      estimate = (ahead * span) / (n - 1);
    } else if (this.durations.length > 0) {
      const mean = this.durations.reduce((a, b) => a + b, 0) / this.durations.length;
      estimate = mean * Math.ceil(ahead / Math.max(1, slots));
    } else {
      estimate = 5_000 * Math.ceil(ahead / Math.max(1, slots));
    }
    return Math.round(Math.min(300_000, Math.max(1_000, estimate)));
  }
}
