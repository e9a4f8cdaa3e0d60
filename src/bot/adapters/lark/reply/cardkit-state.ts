import type { Logger } from '../../../../log/logger.js';
import { isMissingScope } from '../api/errors.js';

/** How long CardKit is not tried again after the app turned out to lack its scope. */
export const CARDKIT_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Whether streaming replies try CardKit. A missing `cardkit:card:write` scope turns it off for a
 * while (every answer would fail the same way), with one warning; other CardKit failures only
 * make that one answer fall back.
 */
export class CardKitState {
  #offUntil = 0;

  constructor(private readonly log: Logger) {}

  get available(): boolean {
    return Date.now() >= this.#offUntil;
  }

  failed(error: unknown): void {
    if (isMissingScope(error)) {
      if (this.available) {
        this.log.warn(
          { err: error },
          'CardKit streaming needs the cardkit:card:write scope; answering with patched cards instead',
        );
      }
      this.#offUntil = Date.now() + CARDKIT_RETRY_AFTER_MS;
      return;
    }
    this.log.warn({ err: error }, 'CardKit streaming failed; finishing the answer with a patched card');
  }
}
