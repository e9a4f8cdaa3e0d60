import { menuCommand } from '../format/index.js';
import { commandMessage } from '../inbound/message.js';
import type { ListenerDeps } from './deps.js';
import { type Fields, record, str } from './fields.js';

/** The bot was added to a group: a short greeting, which is the help command's answer. */
export async function handleBotAdded(data: Fields, deps: ListenerDeps): Promise<void> {
  const chatId = str(data, 'chat_id');
  const tenant = str(data, 'tenant_key') ?? '';
  const eventId = str(data, 'event_id');
  if (chatId === undefined) return;
  const log = deps.log.child({ chat: chatId, eventId });
  if (!(await deps.claims.claim(tenant, eventId))) return;
  log.info('the bot was added to a Lark chat');
  const message = commandMessage(
    {
      id: `added:${eventId ?? chatId}`,
      workspace: tenant,
      chat: { id: chatId, kind: 'group' },
      user: str(record(data.operator_id), 'open_id') ?? 'unknown',
      command: { name: 'help', args: '' },
    },
    deps.now(),
  );
  void deps.handOver(
    message,
    deps.replier({ kind: 'chat', receiveIdType: 'chat_id', receiveId: chatId }, message, log),
  );
}

/** The bot was removed from a group: nothing can be posted there any more; noted in the log. */
export async function handleBotRemoved(data: Fields, deps: ListenerDeps): Promise<void> {
  deps.log.info({ chat: str(data, 'chat_id') }, 'the bot was removed from a Lark chat');
}

/**
 * A bot menu item (application.bot.menu_v6) in a user's 1:1 chat: its event key names a command
 * (menuCommand). The event names only the user; the chat is the one remembered from their messages.
 */
export async function handleMenu(data: Fields, deps: ListenerDeps): Promise<void> {
  const openId = str(record(record(data.operator).operator_id), 'open_id');
  const eventKey = str(data, 'event_key') ?? '';
  const tenant = str(data, 'tenant_key') ?? '';
  const eventId = str(data, 'event_id');
  const log = deps.log.child({ eventId, eventKey });
  if (openId === undefined) return;
  const command = menuCommand(eventKey);
  if (command === undefined) {
    log.warn('a Lark bot menu item with an event key that names no command');
    return;
  }
  if (!(await deps.claims.claim(tenant, eventId))) return;
  const chatId = (await deps.p2pChats.lookup(tenant, openId).catch(() => undefined)) ?? openId;
  const message = commandMessage(
    {
      id: `menu:${eventId ?? `${openId}:${deps.now()}`}`,
      workspace: tenant,
      chat: { id: chatId, kind: 'dm' },
      user: openId,
      command,
    },
    deps.now(),
  );
  void deps.handOver(
    message,
    deps.replier({ kind: 'chat', receiveIdType: 'open_id', receiveId: openId }, message, log),
  );
}
