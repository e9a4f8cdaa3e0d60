import type { Logger } from '../../../../log/logger.js';
import type { LarkApi, MessageTarget } from '../api/lark-api.js';
import { interactiveCard } from '../format/index.js';

/**
 * A reply's status line as Lark shows it: a small grey card ("Queued…", "Thinking…") sent once,
 * patched when the status changes, and recalled when the answer or a notice arrives, so the chat
 * keeps only the answer.
 */
export class StatusCard {
  #messageId: Promise<string | undefined> | undefined;
  #cleared = false;

  constructor(
    private readonly api: LarkApi,
    private readonly target: MessageTarget,
    private readonly nextUuid: () => string,
    private readonly log: Logger,
  ) {}

  async show(text: string): Promise<void> {
    if (this.#cleared) return;
    const content = JSON.stringify(interactiveCard(`<font color='grey'>${text}</font>`));
    const sent = this.#messageId;
    if (sent === undefined) {
      this.#messageId = this.api
        .send(this.target, { msgType: 'interactive', content, uuid: this.nextUuid() })
        .catch((error: unknown) => {
          this.log.warn({ err: error }, 'could not show the status line');
          return undefined;
        });
      await this.#messageId;
      return;
    }
    const id = await sent;
    if (id !== undefined) await this.api.patchCard(id, content);
  }

  /** Recalls the status card, if one was shown; later statuses are not shown. Never rejects. */
  async clear(): Promise<void> {
    this.#cleared = true;
    const id = await this.#messageId;
    this.#messageId = undefined;
    if (id === undefined) return;
    await this.api.deleteMessage(id).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not recall the status line');
    });
  }
}
