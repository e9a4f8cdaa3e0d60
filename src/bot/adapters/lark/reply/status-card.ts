import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../../log/logger.js';
import type { KeyValueStore } from '../../../../storage/kv/types.js';
import type { LarkApi, MessageTarget } from '../api/lark-api.js';
import { interactiveCard } from '../format/index.js';
import { uuidSequence } from './uuids.js';

const PREFIX = 'lark:status:';
/** How long a status card stays recorded (a turn waits in the queue far less). */
const RECORD_TTL_MS = 24 * 3_600_000;

export interface StatusCardOptions {
  api: LarkApi;
  target: MessageTarget;
  /** The message answered (the reply's uuid seed): status cards are recorded under it. */
  key: string;
  /** Where the card's message id is recorded, so that another replica's Replier of this message recalls it. */
  kv?: KeyValueStore | undefined;
  log: Logger;
}

/**
 * A reply's status line as Lark shows it: a small grey card ("Queued…", "Thinking…") sent once,
 * patched when the status changes, and recalled when the answer or a notice arrives, so the chat
 * keeps only the answer. The card is recorded in the KV store by the message it answers: the
 * Replier that answers a queued turn (another replica's, rebuilt from the handle) patches and
 * recalls the card the accepting replica showed. Its uuids are its own, never the answer's: a card
 * sent with one of the answer's uuids would make Lark drop the answer as a repeat.
 */
export class StatusCard {
  readonly #nextUuid: () => string;
  readonly #record: string;
  #messageId: Promise<string | undefined> | undefined;
  /** Whether the card's id is in the KV store (recorded here, or found there). */
  #recorded = false;
  #lookedUp = false;
  #cleared = false;

  constructor(private readonly options: StatusCardOptions) {
    this.#nextUuid = uuidSequence(`${options.key}:status:${randomUUID()}`);
    this.#record = PREFIX + options.key;
  }

  async show(text: string): Promise<void> {
    if (this.#cleared) return;
    const content = JSON.stringify(interactiveCard(`<font color='grey'>${text}</font>`));
    let sent = false;
    const before = this.#messageId ?? this.#lookUp();
    this.#messageId = before.then((id) => {
      if (id !== undefined || this.#cleared) return id;
      sent = true;
      return this.#send(content);
    });
    const id = await this.#messageId;
    if (!sent && id !== undefined) await this.options.api.patchCard(id, content);
  }

  /** Recalls the status card, if one was shown (here or by another replica); later statuses are not shown. Never rejects. */
  async clear(): Promise<void> {
    this.#cleared = true;
    const pending = this.#messageId ?? this.#lookUp();
    this.#messageId = undefined;
    const id = await pending;
    if (id === undefined) return;
    const { kv, api, log } = this.options;
    // Two replicas may clear one card: whoever deletes its record recalls it.
    if (this.#recorded && kv !== undefined) {
      this.#recorded = false;
      if ((await kv.delete(this.#record).catch(() => 1)) === 0) return;
    }
    await api.deleteMessage(id).catch((error: unknown) => {
      log.warn({ err: error }, 'could not recall the status line');
    });
  }

  /** The card another replica recorded for this message (looked up once). */
  #lookUp(): Promise<string | undefined> {
    const { kv, log } = this.options;
    if (this.#lookedUp || kv === undefined) return Promise.resolve(undefined);
    this.#lookedUp = true;
    return kv.get(this.#record).then(
      (id) => {
        if (id === null) return undefined;
        this.#recorded = true;
        return id;
      },
      (error: unknown) => {
        log.debug({ err: error }, 'could not look up a recorded status line');
        return undefined;
      },
    );
  }

  async #send(content: string): Promise<string | undefined> {
    const { api, target, kv, log } = this.options;
    try {
      const id = await api.send(target, { msgType: 'interactive', content, uuid: this.#nextUuid() });
      if (kv !== undefined) {
        await kv.set(this.#record, id, RECORD_TTL_MS).then(
          () => {
            this.#recorded = true;
          },
          (error: unknown) => log.debug({ err: error }, 'could not record the status line'),
        );
      }
      return id;
    } catch (error) {
      log.warn({ err: error }, 'could not show the status line');
      return undefined;
    }
  }
}
