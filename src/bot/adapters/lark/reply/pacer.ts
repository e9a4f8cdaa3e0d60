import { sleep } from '../../../../util/sleep.js';

/**
 * Spaces calls at least `intervalMs` apart, counted from the end of one to the start of the
 * next, so that they also arrive that far apart however long one took: CardKit takes about 10
 * operations a second per card, im.v1.message.patch 5 a second per message.
 */
export class Pacer {
  #last = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs: number) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    const delay = this.#last + this.intervalMs - Date.now();
    if (delay > 0) await sleep(delay);
    try {
      return await call();
    } finally {
      this.#last = Date.now();
    }
  }
}
