import type { Logger } from '../../../../log/logger.js';
import type { LarkApi, MessageTarget } from '../api/lark-api.js';
import type { ActionElement, AnswerOrigin } from '../format/index.js';
import { feedbackButtons, finalCardSettings, finishedCard, streamingCard } from '../format/index.js';
import { type LarkCardSink, STOPPED_LINE } from './card-sink.js';
import { Pacer } from './pacer.js';

/** Card settings that put a card back in streaming mode. */
const STREAMING_AGAIN = { config: { streaming_mode: true } };

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
  /** A durable turn's card (reply/handle.ts): an earlier run's card to go on with, and where to record a new one. */
  card?: CardProgress;
}

export interface CardProgress {
  /** The card an earlier run showed the answer in, and the sequence to go on from. */
  earlier?: { cardId: string; sequence: number } | undefined;
  /** Records a new card before it is sent, so a run that continues this one finds it. */
  created(cardId: string): Promise<void>;
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
  const earlier = settings.card?.earlier;
  let cardId: string | undefined;
  let messageId: string | undefined;
  let sequence = earlier?.sequence ?? 0;
  let shown = '';

  async function start(text: string): Promise<string> {
    const id =
      earlier?.cardId ??
      (await pacer.run(() => api.createCard(streamingCard({ elementId: ANSWER_ELEMENT_ID, text, actions }))));
    if (earlier === undefined) await settings.card?.created(id);
    // The same uuid as the earlier run's send: Lark sends the card once.
    messageId = await api.send(settings.target, {
      msgType: 'interactive',
      content: cardReference(id),
      uuid: settings.nextUuid(),
    });
    cardId = id;
    // An earlier run's card shows its text, not this: the next update rewrites it. That run may
    // have ended the card's streaming mode (it finished, or gave the card up) before it died:
    // turned on again, or Lark refuses the rewrite (300309) and the answer would come twice.
    shown = earlier === undefined ? text : '';
    if (earlier !== undefined) {
      sequence += 1;
      const at = sequence;
      await pacer.run(() => api.cardSettings(id, STREAMING_AGAIN, at, `${id}-s${at}`));
    }
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
      if (cardId === undefined) {
        const id = await start(text);
        if (earlier !== undefined) await update(id, text);
      } else await update(cardId, text);
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
