/** Where a pull stands; sent at a bounded rate, and always when a file starts or ends. */
export interface PullProgress {
  /** The file's path in the repo. */
  file: string;
  /** `start`: the file begins (receivedBytes counts a resumed part); `done`: downloaded; `skipped`: already complete. */
  state: 'start' | 'data' | 'done' | 'skipped';
  receivedBytes: number;
  totalBytes: number;
  overallReceived: number;
  overallTotal: number;
}

export type ProgressListener = (event: PullProgress) => void;

/** Turns per-file byte counts into throttled progress events over the whole pull. */
export class ProgressTracker {
  private readonly overallTotal: number;
  private finished = 0;
  private file = '';
  private fileTotal = 0;
  private received = 0;
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(
    files: readonly { size: number }[],
    private readonly listener: ProgressListener | undefined,
    /** At most one `data` event per this many milliseconds. */
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {
    this.overallTotal = files.reduce((sum, f) => sum + f.size, 0);
  }

  /** A file begins; its first byte count decides the `start` event. */
  begin(file: string, totalBytes: number): void {
    this.file = file;
    this.fileTotal = totalBytes;
    this.received = -1;
  }

  /** The file's bytes on disk so far (absolute, not a delta). */
  update(bytes: number): void {
    const first = this.received < 0;
    this.received = bytes;
    if (first) this.send('start');
    else if (this.now() - this.lastSent >= this.intervalMs) this.send('data');
  }

  /** The file is complete: `done` when it was downloaded now, `skipped` when it already was there. */
  end(downloaded: boolean): void {
    this.received = this.fileTotal;
    this.send(downloaded ? 'done' : 'skipped');
    this.finished += this.fileTotal;
  }

  private send(state: PullProgress['state']): void {
    this.lastSent = this.now();
    this.listener?.({
      file: this.file,
      state,
      receivedBytes: this.received,
      totalBytes: this.fileTotal,
      overallReceived: this.finished + this.received,
      overallTotal: this.overallTotal,
    });
  }
}
