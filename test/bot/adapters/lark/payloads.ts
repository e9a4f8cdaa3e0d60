let sequence = 0;

const next = () => {
  sequence += 1;
  return sequence;
};

export const TENANT = 'T1';
export const USER = 'ou_user1';
export const P2P_CHAT = 'oc_p2p1';
export const GROUP_CHAT = 'oc_group1';

export interface MentionFields {
  key: string;
  openId: string;
  name: string;
}

export interface MessageFields {
  chatType?: 'p2p' | 'group';
  chatId?: string;
  messageId?: string;
  rootId?: string;
  threadId?: string;
  /** The text of a text message (ignored when `content` is given). */
  text?: string;
  messageType?: string;
  /** The content object (JSON-encoded here). */
  content?: Record<string, unknown>;
  mentions?: MentionFields[];
  /** Milliseconds; default now. */
  createTime?: number;
  senderOpenId?: string;
  senderType?: string;
  eventId?: string;
}

/** A fresh Lark message id. */
export const nextMessageId = () => `om_user_${Date.now()}_${next()}`;
export const nextEventId = () => `ev_${Date.now()}_${next()}`;

/** An im.message.receive_v1 event (schema 2.0), as Lark sends it before encryption. */
export function messageEvent(fields: MessageFields) {
  const chatType = fields.chatType ?? 'p2p';
  const createTime = String(fields.createTime ?? Date.now());
  return {
    schema: '2.0',
    header: {
      event_id: fields.eventId ?? nextEventId(),
      token: 'test-verification-token',
      create_time: createTime,
      event_type: 'im.message.receive_v1',
      tenant_key: TENANT,
      app_id: 'cli_a1b2c3d4e5f60718',
    },
    event: {
      sender: {
        sender_id: { open_id: fields.senderOpenId ?? USER, union_id: 'on_user1', user_id: 'u1' },
        sender_type: fields.senderType ?? 'user',
        tenant_key: TENANT,
      },
      message: {
        message_id: fields.messageId ?? nextMessageId(),
        ...(fields.rootId === undefined ? {} : { root_id: fields.rootId, parent_id: fields.rootId }),
        ...(fields.threadId === undefined ? {} : { thread_id: fields.threadId }),
        create_time: createTime,
        update_time: createTime,
        chat_id: fields.chatId ?? (chatType === 'p2p' ? P2P_CHAT : GROUP_CHAT),
        chat_type: chatType,
        message_type: fields.messageType ?? 'text',
        content: JSON.stringify(fields.content ?? { text: fields.text ?? '' }),
        mentions: (fields.mentions ?? []).map((m) => ({
          key: m.key,
          id: { open_id: m.openId, union_id: `on_${m.openId}`, user_id: m.openId },
          name: m.name,
          tenant_key: TENANT,
        })),
      },
    },
  };
}

/** The bot's own mention, as Lark lists it. */
export const botMention: MentionFields = { key: '@_user_1', openId: 'ou_bot', name: 'teambot' };

/** Another v2 event around `event`. */
export function envelope(eventType: string, event: Record<string, unknown>, eventId = nextEventId()) {
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      token: 'test-verification-token',
      create_time: String(Date.now()),
      event_type: eventType,
      tenant_key: TENANT,
      app_id: 'cli_a1b2c3d4e5f60718',
    },
    event,
  };
}

export const menuEvent = (eventKey: string, openId = USER) =>
  envelope('application.bot.menu_v6', {
    operator: { operator_name: 'Ada', operator_id: { open_id: openId, union_id: 'on_user1', user_id: 'u1' } },
    event_key: eventKey,
    timestamp: Math.floor(Date.now() / 1000),
  });

export const botAddedEvent = (chatId = GROUP_CHAT) =>
  envelope('im.chat.member.bot.added_v1', {
    chat_id: chatId,
    operator_id: { open_id: USER, union_id: 'on_user1', user_id: 'u1' },
    external: false,
    operator_tenant_key: TENANT,
    name: 'Team chat',
  });
