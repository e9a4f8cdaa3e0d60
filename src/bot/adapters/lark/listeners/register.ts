import { untilAccepted } from '../../shared/accept.js';
import type { InFlight } from '../../shared/in-flight.js';
import type { EventData, EventHandlers } from '../events/dispatcher.js';
import type { ListenerDeps } from './deps.js';
import { str } from './fields.js';

/**
 * An event created longer ago than the stale window (header `create_time`, ms): a replay after
 * the long connection came back, or a retry Lark sent hours late. Dropped, logged and counted.
 */
function isStaleEvent(data: EventData, deps: ListenerDeps): boolean {
  const created = Number(str(data, 'create_time'));
  if (!Number.isFinite(created) || created <= 0) return false;
  const ageMs = deps.now() - created;
  if (ageMs <= deps.staleAfterMs) return false;
  const type = str(data, 'event_type') ?? 'unknown';
  deps.log.info({ eventType: type, eventId: str(data, 'event_id'), ageMs }, 'stale Lark event dropped');
  deps.onStale(type);
  return true;
}

import { handleCardAction } from './handle-card.js';
import { handleBotAdded, handleBotRemoved, handleMenu } from './handle-chat-events.js';
import { handleMessageEvent } from './handle-message.js';

/**
 * The dispatcher's handlers: each starts its work on a later tick (tracked by `inFlight`) and
 * returns; a message's handler settles once the pipeline accepted the message (a queued durable
 * turn, at most ACCEPT_WAIT_MS), so the long connection's ack or the webhook's 200 means it is safe.
 */
export function eventHandlers(deps: ListenerDeps, inFlight: InFlight): EventHandlers {
  const later =
    (what: string, handle: (data: EventData, deps: ListenerDeps) => Promise<void>) => (data: EventData) => {
      if (isStaleEvent(data, deps)) return undefined;
      return inFlight.run(what, () => handle(data, deps));
    };
  const message = later('Lark message', handleMessageEvent);
  return {
    message: (data) => {
      const accepted = message(data);
      return accepted === undefined ? undefined : untilAccepted(accepted);
    },
    botAdded: later('Lark bot added', handleBotAdded),
    botRemoved: later('Lark bot removed', handleBotRemoved),
    menu: later('Lark bot menu', handleMenu),
    cardAction: later('Lark card action', handleCardAction),
  };
}
