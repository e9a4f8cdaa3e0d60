import type { ParsedCommand } from '../../../message.js';
import { commandMessage } from '../inbound/message.js';
import { type CardPress, pressFeedback, pressStop } from './card-votes.js';
import type { ListenerDeps } from './deps.js';
import { type Fields, record, str } from './fields.js';

/** A button's value that runs a command: `{"command": "reset", "args": "", "thread": "om_…"}`. */
function commandOf(value: Fields): ParsedCommand | undefined {
  const name = str(value, 'command')
    ?.replace(/^[/／]/, '')
    .trim()
    .toLowerCase();
  if (name === undefined || !/^[a-z][a-z0-9_-]*$/.test(name)) return undefined;
  return { name, args: (str(value, 'args') ?? '').trim() };
}

/**
 * A card action (card.action.trigger, or a legacy card callback): a Stop button stops the answer,
 * a feedback button records the vote, a button whose value names a command runs it, answered under
 * the card; anything else was acknowledged and is done.
 */
export async function handleCardAction(data: Fields, deps: ListenerDeps): Promise<void> {
  const context = record(data.context);
  const operator = record(data.operator);
  const messageId = str(context, 'open_message_id') ?? str(data, 'open_message_id');
  const chatId = str(context, 'open_chat_id') ?? str(data, 'open_chat_id');
  const user = str(operator, 'open_id') ?? str(data, 'open_id') ?? 'unknown';
  const value = record(record(data.action).value);
  const log = deps.log.child({ chat: chatId, larkMessage: messageId });
  if (messageId === undefined || chatId === undefined) {
    log.debug('Lark card action without a message or chat');
    return;
  }
  const tenant = str(data, 'tenant_key') ?? '';
  const eventId = str(data, 'event_id') ?? str(data, 'token');
  const press: CardPress = { tenant, user, messageId, chatId, eventId };
  if (value.action === 'stop') return pressStop(value, press, deps);
  if (value.action === 'feedback') return pressFeedback(value, press, deps);
  const command = commandOf(value);
  if (command === undefined) {
    log.debug('Lark card action without a command');
    return;
  }
  if (!(await deps.claims.claim(tenant, eventId))) return;
  const thread = str(value, 'thread');
  const message = commandMessage(
    {
      id: `card:${eventId ?? `${messageId}:${user}:${deps.now()}`}`,
      workspace: tenant,
      chat: { id: chatId, kind: str(value, 'chat_kind') === 'dm' ? 'dm' : 'group' },
      thread,
      user,
      command,
    },
    deps.now(),
  );
  const target = { kind: 'reply', messageId, inThread: thread !== undefined } as const;
  void deps.handOver(message, deps.replier(target, message, log));
}
