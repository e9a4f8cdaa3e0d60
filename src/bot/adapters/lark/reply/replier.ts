import { RESTART_CHUNK } from '../../../../inference/types.js';
import type { Logger } from '../../../../log/logger.js';
import type { KeyValueStore } from '../../../../storage/kv/types.js';
import type { Replier } from '../../../message.js';
import type { AnswerProgress } from '../../../turns/answer-place.js';
import { stopSource } from '../../shared/stream/stop-source.js';
import type { LarkApi, MessageTarget } from '../api/lark-api.js';
import {
  type AnswerOrigin,
  fitsOneCard,
  interactiveCard,
  LARK_CARD_TEXT_LIMIT,
  larkMarkdown,
  splitCardText,
  stopButton,
  textMessageContent,
} from '../format/index.js';
import type { LarkCardSink } from './card-sink.js';
import { cardkitSink } from './cardkit-sink.js';
import type { CardKitState } from './cardkit-state.js';
import { cardProgress, larkReplyHandle } from './handle.js';
import { patchSink } from './patch-sink.js';
import { StatusCard } from './status-card.js';
import type { StopMarks } from './stop-marks.js';
import { type CardStreamSettings, streamToCards } from './stream-cards.js';
import { uuidSequence } from './uuids.js';

export interface ReplySettings {
  api: LarkApi;
  target: MessageTarget;
  /** Seeds the message uuids: the same message gets the same ones (the InboundMessage id). */
  key: string;
  /** conversationKey() of the message: a streaming answer's Stop button stops its answers. */
  conversation?: string;
  /** What produces answers (model, backend): a complete answer's last card gets 👍 / 👎 with it. */
  origin?: () => AnswerOrigin;
  /** Where Stop presses are marked: a stopped answer's card is marked so, and gets no feedback. */
  stopMarks?: StopMarks;
  cardkit: CardKitState;
  streamIntervalMs: number;
  patchIntervalMs: number;
  log: Logger;
  /** A durable turn's answer (reply/handle.ts): the card an earlier run showed it in, and where to record it. */
  answer?: AnswerProgress;
  /** Where status cards are recorded, so that another replica's Replier of this message recalls them. */
  kv?: KeyValueStore;
}

/** Reads a source while keeping everything it gave. */
function tapped(source: AsyncIterator<string>): AsyncIterator<string> & { text: string } {
  const tap = {
    text: '',
    async next(): Promise<IteratorResult<string>> {
      const next = await source.next();
      if (!next.done) tap.text = next.value === RESTART_CHUNK ? '' : tap.text + next.value;
      return next;
    },
  };
  return tap;
}

/**
 * The Replier for a Lark message: answers stream into a CardKit card; without CardKit (no scope,
 * or an error) into an interactive card patched as it grows; if that fails too, the rest goes out
 * as plain text at the end. Long answers become several cards. Every message carries a uuid.
 */
export function larkReplier(settings: ReplySettings): Replier {
  const { api, target, log } = settings;
  const nextUuid = uuidSequence(settings.key);
  const actions = settings.conversation === undefined ? [] : [stopButton(settings.conversation)];
  let lastCard: LarkCardSink | undefined;
  const sinks: LarkCardSink[] = [];
  const statusCard = new StatusCard({ api, target, key: settings.key, kv: settings.kv, log });
  const opened = (sink: LarkCardSink): LarkCardSink => {
    lastCard = sink;
    sinks.push(sink);
    return {
      ...sink,
      // The answer is on screen: the status line goes.
      show: async (text) => {
        await sink.show(text);
        await statusCard.clear();
      },
      finish: async (text) => {
        await sink.finish(text);
        await statusCard.clear();
      },
    };
  };
  const card = cardProgress(settings.answer);
  const cards = (intervalMs: number): CardStreamSettings => ({
    limit: LARK_CARD_TEXT_LIMIT,
    fits: fitsOneCard,
    render: larkMarkdown,
    split: splitCardText,
    intervalMs,
    log,
  });

  async function sendText(text: string): Promise<void> {
    for (const part of splitCardText(text)) {
      await api.send(target, { msgType: 'text', content: textMessageContent(part), uuid: nextUuid() });
    }
  }

  async function sendPlainRest(source: AsyncIterator<string>, pending: string): Promise<void> {
    let rest = pending;
    try {
      for (let next = await source.next(); !next.done; next = await source.next()) {
        rest = next.value === RESTART_CHUNK ? '' : rest + next.value;
      }
    } catch (error) {
      await sendText(rest).catch((sendError: unknown) =>
        log.warn({ err: sendError }, 'could not send the partial answer'),
      );
      throw error;
    }
    await sendText(rest);
  }

  /** Whether the Stop button of one of this answer's cards was pressed (on any replica). */
  async function stopped(): Promise<boolean> {
    if (settings.stopMarks === undefined) return false;
    const ids = sinks.map((card) => card.messageId).filter((id): id is string => id !== undefined);
    return settings.stopMarks.any(ids);
  }

  /**
   * The end of a delivered answer: a stopped one's last card says so; a complete one's gets 👍 / 👎.
   * A failure here loses nothing of the answer.
   */
  async function offerFeedback(): Promise<void> {
    const card = lastCard;
    if (card === undefined) return;
    const end = (await stopped())
      ? card.markStopped()
      : settings.origin === undefined
        ? Promise.resolve()
        : card.offerFeedback(settings.origin());
    await end.catch((error: unknown) => {
      log.warn({ err: error }, 'could not finish the answer card (stopped line or feedback buttons)');
    });
  }

  async function generate(source: AsyncIterator<string>): Promise<void> {
    let pending = '';
    if (settings.cardkit.available) {
      // A durable turn's card (an earlier run's, or the one to record) is the answer's first card only.
      let first = card;
      const streamed = await streamToCards(
        source,
        () => {
          const progress = first;
          first = undefined;
          return opened(
            cardkitSink(api, {
              target,
              nextUuid,
              intervalMs: settings.streamIntervalMs,
              log,
              actions,
              card: progress,
            }),
          );
        },
        cards(settings.streamIntervalMs),
      );
      if (streamed.kind === 'done') return offerFeedback();
      settings.cardkit.failed(streamed.error);
      pending = streamed.pending;
    }
    const patched = await streamToCards(
      source,
      () => opened(patchSink(api, { target, nextUuid, intervalMs: settings.patchIntervalMs, actions })),
      cards(settings.patchIntervalMs),
      pending,
    );
    if (patched.kind === 'done') return offerFeedback();
    lastCard = undefined;
    log.warn({ err: patched.error }, 'patching the answer card failed; sending the rest as plain text');
    await sendPlainRest(source, patched.pending);
  }

  return {
    handle: larkReplyHandle(target, settings.key),
    async post(text) {
      await statusCard.clear();
      for (const part of splitCardText(larkMarkdown(text))) {
        const content = JSON.stringify(interactiveCard(part));
        try {
          await api.send(target, { msgType: 'interactive', content, uuid: nextUuid() });
        } catch (error) {
          log.warn({ err: error }, 'could not send a card; sending plain text instead');
          await sendText(part);
        }
      }
    },
    async notice(text) {
      await statusCard.clear();
      await sendText(text);
    },
    status: (text) => statusCard.show(text),
    clearStatus: () => statusCard.clear(),
    async stream(chunks) {
      const source = chunks[Symbol.asyncIterator]();
      const tap = tapped(source);
      try {
        await generate(tap);
        return tap.text;
      } finally {
        // Stops the generation when the answer could not be delivered.
        await stopSource(source, log);
      }
    },
  };
}
