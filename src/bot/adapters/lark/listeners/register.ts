import type { InFlight } from '../../shared/in-flight.js';
import type { EventData, EventHandlers } from '../events/dispatcher.js';
import type { ListenerDeps } from './deps.js';
import { handleCardAction } from './handle-card.js';
import { handleBotAdded, handleBotRemoved, handleMenu } from './handle-chat-events.js';
import { handleMessageEvent } from './handle-message.js';

/**
 * The dispatcher's handlers: each only starts its work on a later tick (tracked by `inFlight`)
 * and returns, so the long connection's ack or the webhook's 200 never waits for it.
 */
export function eventHandlers(deps: ListenerDeps, inFlight: InFlight): EventHandlers {
  const later =
    (what: string, handle: (data: EventData, deps: ListenerDeps) => Promise<void>) => (data: EventData) =>
      inFlight.run(what, () => handle(data, deps));
  return {
    message: later('Lark message', handleMessageEvent),
    botAdded: later('Lark bot added', handleBotAdded),
    botRemoved: later('Lark bot removed', handleBotRemoved),
    menu: later('Lark bot menu', handleMenu),
    cardAction: later('Lark card action', handleCardAction),
  };
}
