export interface ConnectionState {
  state: 'connecting' | 'connected' | 'down' | 'closed';
  /** Epoch ms of the last change. */
  since: number;
}

/**
 * Watches a long connection's ups and downs: when it stays down longer than `replaceAfterMs`, or
 * its client gave up, `replace` is called (once per outage; again after as long if it stays down).
 */
export class ConnectionWatch {
  #state: ConnectionState = { state: 'connecting', since: Date.now() };
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    private readonly replaceAfterMs: number,
    private readonly replace: (reason: 'gave_up' | 'down_too_long') => void,
  ) {}

  state(): ConnectionState {
    return { ...this.#state };
  }

  /** The first connection is open: from now on outages are watched. */
  start(): void {
    this.#running = true;
    this.up();
  }

  up(): void {
    this.#clear();
    this.#state = { state: 'connected', since: Date.now() };
  }

  down(): void {
    if (this.#state.state === 'down') return;
    this.#state = { state: 'down', since: Date.now() };
    this.#arm();
  }

  gaveUp(): void {
    if (!this.#running) return;
    this.#clear();
    this.#state = { state: 'down', since: this.#state.state === 'down' ? this.#state.since : Date.now() };
    this.replace('gave_up');
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    this.#clear();
    this.#state = { state: 'closed', since: Date.now() };
  }

  #arm(): void {
    if (!this.#running) return;
    this.#clear();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#running || this.#state.state !== 'down') return;
      this.replace('down_too_long');
      this.#arm();
    }, this.replaceAfterMs);
    this.#timer.unref();
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
