import type { Readable } from 'node:stream';
import type { Client } from '@larksuiteoapi/node-sdk';
import { callLark, DEFAULT_RETRY, type RetryPolicy } from './errors.js';

export type ReceiveIdType = 'chat_id' | 'open_id';

/** Where a message goes: a reply to a message (in its thread or quoting it), or into a chat. */
export type MessageTarget =
  | { kind: 'reply'; messageId: string; inThread: boolean }
  | { kind: 'chat'; receiveIdType: ReceiveIdType; receiveId: string };

export interface OutgoingMessage {
  msgType: 'text' | 'interactive';
  /** The JSON `content` string. */
  content: string;
  /** Idempotency key: Lark sends a message once per uuid within an hour, however often it is asked. */
  uuid: string;
}

export interface BotInfo {
  openId: string;
  name: string;
}

export type ResourceType = 'image' | 'file';

/** The OpenAPI calls the adapter makes, each through the SDK's Client and callLark. */
export interface LarkApi {
  botInfo(): Promise<BotInfo>;
  /** Sends a message; resolves with its message_id. */
  send(target: MessageTarget, message: OutgoingMessage): Promise<string>;
  /** Replaces an interactive card message's card (im.v1.message.patch). */
  patchCard(messageId: string, content: string): Promise<void>;
  /** Recalls a message the bot sent (im.v1.message.delete). */
  deleteMessage(messageId: string): Promise<void>;
  /** cardkit.v1.card.create; resolves with the card_id. */
  createCard(card: object): Promise<string>;
  /** cardkit.v1.cardElement.content: the element's full text. */
  streamText(
    cardId: string,
    elementId: string,
    content: string,
    sequence: number,
    uuid: string,
  ): Promise<void>;
  /** cardkit.v1.card.settings. */
  cardSettings(cardId: string, settings: object, sequence: number, uuid: string): Promise<void>;
  /** cardkit.v1.card.update: replaces the whole card (card JSON 2.0). */
  updateCard(cardId: string, card: object, sequence: number, uuid: string): Promise<void>;
  /** im.v1.messageResource.get: a message's image, file, audio or video, as a stream. */
  resource(
    messageId: string,
    fileKey: string,
    type: ResourceType,
  ): Promise<{ stream: Readable; headers: Record<string, string> }>;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new Error(`Lark returned no ${what}`);
  return value;
}

export function createLarkApi(client: Client, retry: RetryPolicy = DEFAULT_RETRY): LarkApi {
  const im = client.im.v1;
  const cardkit = client.cardkit.v1;
  return {
    async botInfo() {
      const result = (await callLark(
        'bot.v3.info',
        () => client.request({ url: '/open-apis/bot/v3/info', method: 'GET' }),
        retry,
      )) as { bot?: { open_id?: string; app_name?: string } };
      return { openId: required(result.bot?.open_id, 'bot open_id'), name: result.bot?.app_name ?? '' };
    },
    async send(target, { msgType, content, uuid }) {
      if (target.kind === 'reply') {
        const result = await callLark(
          'im.v1.message.reply',
          () =>
            im.message.reply({
              path: { message_id: target.messageId },
              data: { msg_type: msgType, content, uuid, reply_in_thread: target.inThread },
            }),
          retry,
        );
        return required(result.data?.message_id, 'message_id');
      }
      const result = await callLark(
        'im.v1.message.create',
        () =>
          im.message.create({
            params: { receive_id_type: target.receiveIdType },
            data: { receive_id: target.receiveId, msg_type: msgType, content, uuid },
          }),
        retry,
      );
      return required(result.data?.message_id, 'message_id');
    },
    async patchCard(messageId, content) {
      await callLark(
        'im.v1.message.patch',
        () => im.message.patch({ path: { message_id: messageId }, data: { content } }),
        retry,
      );
    },
    async deleteMessage(messageId) {
      await callLark(
        'im.v1.message.delete',
        () => im.message.delete({ path: { message_id: messageId } }),
        retry,
      );
    },
    async createCard(card) {
      const result = await callLark(
        'cardkit.v1.card.create',
        () => cardkit.card.create({ data: { type: 'card_json', data: JSON.stringify(card) } }),
        retry,
      );
      return required(result.data?.card_id, 'card_id');
    },
    async streamText(cardId, elementId, content, sequence, uuid) {
      await callLark(
        'cardkit.v1.cardElement.content',
        () =>
          cardkit.cardElement.content({
            path: { card_id: cardId, element_id: elementId },
            data: { content, sequence, uuid },
          }),
        retry,
      );
    },
    async cardSettings(cardId, settings, sequence, uuid) {
      await callLark(
        'cardkit.v1.card.settings',
        () =>
          cardkit.card.settings({
            path: { card_id: cardId },
            data: { settings: JSON.stringify(settings), sequence, uuid },
          }),
        retry,
      );
    },
    async updateCard(cardId, card, sequence, uuid) {
      await callLark(
        'cardkit.v1.card.update',
        () =>
          cardkit.card.update({
            path: { card_id: cardId },
            data: { card: { type: 'card_json', data: JSON.stringify(card) }, sequence, uuid },
          }),
        retry,
      );
    },
    async resource(messageId, fileKey, type) {
      const result = await callLark(
        'im.v1.messageResource.get',
        () =>
          im.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type } }),
        retry,
      );
      return {
        stream: result.getReadableStream(),
        headers: (result.headers ?? {}) as Record<string, string>,
      };
    },
  };
}
