import { EventDispatcher } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../../../log/logger.js';
import { sdkLogger, sdkLoggerLevel } from '../api/sdk-logger.js';

export type EventData = Record<string, unknown>;

/**
 * What each event becomes; every handler only starts the work and returns at once, but a message's
 * settles once the pipeline accepted it (a queued durable turn), and the ack waits for that.
 */
export interface EventHandlers {
  message(data: EventData): Promise<void> | undefined;
  botAdded(data: EventData): void;
  botRemoved(data: EventData): void;
  menu(data: EventData): void;
  cardAction(data: EventData): void;
}

export const EVENT_TYPES = {
  message: 'im.message.receive_v1',
  botAdded: 'im.chat.member.bot.added_v1',
  botRemoved: 'im.chat.member.bot.deleted_v1',
  menu: 'application.bot.menu_v6',
  cardAction: 'card.action.trigger',
  read: 'im.message.message_read_v1',
} as const;

/**
 * The SDK's EventDispatcher, the one entry for both transports: the WSClient hands it each event
 * of the long connection, the webhook route each verified delivery (`invoke(payload, {needCheck:
 * false})`: the route checked signature and token itself, on the raw body). It decrypts an
 * `encrypt` body and flattens schema 2.0 (`header` and `event` into one object) before the handler.
 */
export function eventDispatcher(
  handlers: EventHandlers,
  encryptKey: string | undefined,
  log: Logger,
): EventDispatcher {
  const dispatcher = new EventDispatcher({
    ...(encryptKey === undefined ? {} : { encryptKey }),
    logger: sdkLogger(log),
    loggerLevel: sdkLoggerLevel(log),
  });
  const on =
    (handle: (data: EventData) => Promise<void> | undefined | void) =>
    async (data: unknown): Promise<undefined> => {
      // The long connection's ack (and the webhook's 200) goes out when this settles.
      await handle(typeof data === 'object' && data !== null ? (data as EventData) : {});
      return undefined;
    };
  dispatcher.register({
    [EVENT_TYPES.message]: on(handlers.message),
    [EVENT_TYPES.botAdded]: on(handlers.botAdded),
    [EVENT_TYPES.botRemoved]: on(handlers.botRemoved),
    [EVENT_TYPES.menu]: on(handlers.menu),
    [EVENT_TYPES.cardAction]: on(handlers.cardAction),
    // Subscribed by many apps, not needed here: acknowledged quietly.
    [EVENT_TYPES.read]: on(() => {}),
  });
  return dispatcher;
}
