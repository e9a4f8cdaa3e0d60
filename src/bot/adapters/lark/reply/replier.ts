import { RESTART_CHUNK } from '../../../../inference/types.js';
import type { Logger } from '../../../../log/logger.js';
import type { Replier } from '../../../message.js';
import type { AnswerProgress } from '../../../turns/answer-place.js';
import { stopSource } from '../../shared/stream/stop-source.js';
import type { LarkApi, MessageTarget } from '../api/lark-api.js';
import {
  interactiveCard,
  LARK_CARD_TEXT_LIMIT,
  larkMarkdown,
  splitCardText,
  textMessageContent,
} from '../format/index.js';
import { cardkitSink } from './cardkit-sink.js';
import type { CardKitState } from './cardkit-state.js';
import { cardProgress, larkReplyHandle } from './handle.js';
import { patchSink } from './patch-sink.js';
import { type CardStreamSettings, streamToCards } from './stream-cards.js';
import { uuidSequence } from './uuids.js';

export interface ReplySettings {
  api: LarkApi;
  target: MessageTarget;
  /** Seeds the message uuids: the same message gets the same ones (the InboundMessage id). */
  key: string;
  cardkit: CardKitState;
  streamIntervalMs: number;
  patchIntervalMs: number;
  log: Logger;
  /** A durable turn's answer (reply/handle.ts): the card an earlier run showed it in, and where to record it. */
  answer?: AnswerProgress;
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
  const card = cardProgress(settings.answer);
  const cards = (intervalMs: number): CardStreamSettings => ({
    limit: LARK_CARD_TEXT_LIMIT,
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

  async function generate(source: AsyncIterator<string>): Promise<void> {
    let pending = '';
    if (settings.cardkit.available) {
      const streamed = await streamToCards(
        source,
        () => cardkitSink(api, { target, nextUuid, intervalMs: settings.streamIntervalMs, log, card }),
        cards(settings.streamIntervalMs),
      );
      if (streamed.kind === 'done') return;
      settings.cardkit.failed(streamed.error);
      pending = streamed.pending;
    }
    const patched = await streamToCards(
      source,
      () => patchSink(api, { target, nextUuid, intervalMs: settings.patchIntervalMs }),
      cards(settings.patchIntervalMs),
      pending,
    );
    if (patched.kind === 'done') return;
    log.warn({ err: patched.error }, 'patching the answer card failed; sending the rest as plain text');
    await sendPlainRest(source, patched.pending);
  }

  return {
    handle: larkReplyHandle(target, settings.key),
    async post(text) {
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
    notice: sendText,
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
