/** A FIFO lock: `acquire` resolves with a release function once every earlier holder has released. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** Holders plus waiters right now. */
  get queued(): number {
    return this.waiting;
  }

  /** Waits for the lock; if `signal` aborts first, rejects with its reason and takes no turn. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    this.waiting++;
    let released = false;
    const releaseOnce = () => {
      if (released) return;
      released = true;
      this.waiting--;
      release();
    };
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        releaseOnce();
        reject(signal?.reason);
      };
      if (signal?.aborted === true) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      void previous.then(() => {
        signal?.removeEventListener('abort', onAbort);
        if (released) return;
        resolve(releaseOnce);
      });
    });
  }
}
