/**
 * Messages sent in one synchronous run (and its microtasks) leave as one port message. A burst of
 * requests started at once (N chats in one tick) then reaches the engine thread in one callback and
 * is admitted, and prefilled, together: sent one by one, the port could deliver them in two or more
 * batches a poll phase apart, and the first few would start alone.
 */
export class Outbox<M> {
  private pending: M[] = [];

  /** `post` sends one batch (in the order sent). */
  constructor(private readonly post: (batch: readonly M[]) => void) {}

  send(message: M): void {
    this.pending.push(message);
    if (this.pending.length === 1) queueMicrotask(() => this.flush());
  }

  /** Sends what is pending now (before a message that must not overtake it). */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.post(batch);
  }
}
