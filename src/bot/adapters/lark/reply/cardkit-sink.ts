import type { Logger } from '../../../../log/logger.js';
import type { LarkApi, MessageTarget } from '../api/lark-api.js';
import type { ActionElement, AnswerOrigin } from '../format/index.js';
import { feedbackButtons, finalCardSettings, finishedCard, streamingCard } from '../format/index.js';
import { type LarkCardSink, STOPPED_LINE } from './card-sink.js';
import { Pacer } from './pacer.js';

/** The id of the one markdown element of a streaming card. */
export const ANSWER_ELEMENT_ID = 'answer';

export interface CardKitSettings {
  target: MessageTarget;
  /** The next message uuid of this reply. */
  nextUuid: () => string;
  intervalMs: number;
  log: Logger;
  /** Buttons while the card streams (Stop); removed when it is finished. */
  actions?: ActionElement[];
}

/** The content of an interactive message that shows a CardKit card entity. */
export function cardReference(cardId: string): string {
  return JSON.stringify({ type: 'card', data: { card_id: cardId } });
}

/**
 * A CardKit streaming card: cardkit.v1.card.create in streaming mode, sent as a reply referencing
 * its card_id; then cardkit.v1.cardElement.content with the full text so far and a rising
 * `sequence` (Lark types out what was added); finished with a last content update and streaming
 * turned off: cardkit.v1.card.settings, or cardkit.v1.card.update where the card had buttons to
 * take away (Stop). Every operation on the card is paced (about 10 a second at most) and carries
 * a uuid made of the card id and sequence, so a retry is not applied twice.
 */
export function cardkitSink(api: LarkApi, settings: CardKitSettings): LarkCardSink {
  const pacer = new Pacer(settings.intervalMs);
  const actions = settings.actions ?? [];
  let cardId: string | undefined;
  let messageId: string | undefined;
  let sequence = 0;
  let shown = '';

  async function start(text: string): Promise<string> {
    const id = await pacer.run(() =>
      api.createCard(streamingCard({ elementId: ANSWER_ELEMENT_ID, text, actions })),
    );
    messageId = await api.send(settings.target, {
      msgType: 'interactive',
      content: cardReference(id),
      uuid: settings.nextUuid(),
    });
    cardId = id;
    shown = text;
    return id;
  }

  async function update(id: string, text: string): Promise<void> {
    if (text === shown) return;
    sequence += 1;
    const at = sequence;
    await pacer.run(() => api.streamText(id, ANSWER_ELEMENT_ID, text, at, `${id}-c${at}`));
    shown = text;
  }

  async function replace(id: string, text: string, below: ActionElement[]): Promise<void> {
    sequence += 1;
    const at = sequence;
    const card = finishedCard(ANSWER_ELEMENT_ID, text, below);
    await pacer.run(() => api.updateCard(id, card, at, `${id}-u${at}`));
  }

  async function close(id: string, text: string): Promise<void> {
    if (actions.length > 0) return replace(id, text, []);
    sequence += 1;
    const at = sequence;
    await pacer.run(() => api.cardSettings(id, finalCardSettings(text), at, `${id}-s${at}`));
  }

  return {
    async show(text) {
      if (cardId === undefined) await start(text);
      else await update(cardId, text);
    },
    async finish(text) {
      const id = cardId ?? (await start(text));
      await update(id, text);
      await close(id, text);
    },
    async abandon() {
      if (cardId === undefined) return;
      await close(cardId, shown).catch((error: unknown) => {
        settings.log.debug({ err: error }, 'could not end the failed streaming card');
      });
    },
    async offerFeedback(origin: AnswerOrigin) {
      if (cardId === undefined) return;
      await replace(cardId, shown, [feedbackButtons(origin)]);
    },
    async markStopped() {
      if (cardId === undefined) return;
      await replace(cardId, shown + STOPPED_LINE, []);
    },
    get messageId() {
      return messageId;
    },
  };
}
