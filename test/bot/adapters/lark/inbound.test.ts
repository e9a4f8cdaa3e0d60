import { describe, expect, it } from 'vitest';
import { readContent } from '../../../../src/bot/adapters/lark/inbound/content.js';
import { decide } from '../../../../src/bot/adapters/lark/inbound/decide.js';
import { millis, readMessageEvent } from '../../../../src/bot/adapters/lark/inbound/event-shape.js';
import { ignoreReason, isStale } from '../../../../src/bot/adapters/lark/inbound/filter.js';
import { flattenEvent } from '../../../../src/bot/adapters/lark/listeners/fields.js';
import { botMention, messageEvent } from './payloads.js';

const self = { openId: 'ou_bot', name: 'teambot' };
const read = (fields: Parameters<typeof messageEvent>[0]) => {
  const event = readMessageEvent(flattenEvent(messageEvent(fields)));
  if (event === undefined) throw new Error('not read');
  return event;
};

describe('Lark inbound messages', () => {
  it('reads the fields of im.message.receive_v1', () => {
    const event = read({
      chatType: 'group',
      text: '@_user_1 hi',
      mentions: [botMention],
      messageId: 'om_1',
      eventId: 'ev_1',
    });
    expect(event).toMatchObject({
      eventId: 'ev_1',
      tenantKey: 'T1',
      messageId: 'om_1',
      chatType: 'group',
      messageType: 'text',
      mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'teambot' }],
      sender: { openId: 'ou_user1', type: 'user' },
    });
    expect(readMessageEvent({ message: {} })).toBeUndefined();
    expect(millis('1700000000')).toBe(1_700_000_000_000);
    expect(millis('1700000000123')).toBe(1_700_000_000_123);
    expect(millis('')).toBeUndefined();
  });

  it('answers 1:1 chats in the chat, or in the thread a message was written in', () => {
    expect(decide(read({ text: 'hi' }), false)).toEqual({ answer: true, thread: undefined, inThread: false });
    // A quoted reply (root_id without thread_id) is still the chat's conversation.
    expect(decide(read({ text: 'hi', rootId: 'om_root' }), false)).toMatchObject({
      thread: undefined,
      inThread: false,
    });
    expect(decide(read({ text: 'hi', rootId: 'om_root', threadId: 'omt_1' }), false)).toEqual({
      answer: true,
      thread: 'om_root',
      inThread: true,
    });
  });

  it('answers groups only when mentioned, in the thread of the message or a new one under it', () => {
    expect(decide(read({ chatType: 'group', text: 'hi' }), false)).toEqual({ answer: false });
    expect(decide(read({ chatType: 'group', text: 'hi', messageId: 'om_2' }), true)).toEqual({
      answer: true,
      thread: 'om_2',
      inThread: true,
    });
    expect(
      decide(read({ chatType: 'group', text: 'hi', rootId: 'om_root', threadId: 'omt' }), true),
    ).toMatchObject({
      thread: 'om_root',
    });
  });

  it('ignores its own messages and other bots, and tells stale messages', () => {
    expect(ignoreReason(read({ senderOpenId: 'ou_bot', senderType: 'app' }), self, true)).toBe('own_message');
    expect(ignoreReason(read({ senderOpenId: 'ou_x', senderType: 'app' }), self, false)).toBe('other_bot');
    expect(ignoreReason(read({ senderOpenId: 'ou_x', senderType: 'app' }), self, true)).toBeUndefined();
    expect(ignoreReason(read({ senderType: 'system' }), self, false)).toBe('sender_system');
    const now = Date.now();
    expect(isStale(read({ createTime: now - 31 * 60_000 }), now, 30 * 60_000)).toBe(true);
    expect(isStale(read({ createTime: now - 29 * 60_000 }), now, 30 * 60_000)).toBe(false);
  });

  it('reads the content of each message type', () => {
    expect(readContent('text', '{"text":"hi"}')).toEqual({ text: 'hi', resources: [] });
    expect(readContent('image', '{"image_key":"img_1"}').resources).toEqual([
      { kind: 'image', key: 'img_1', type: 'image', name: 'img_1' },
    ]);
    expect(readContent('file', '{"file_key":"f_1","file_name":"a.pdf"}').resources[0]).toMatchObject({
      kind: 'file',
      type: 'file',
      name: 'a.pdf',
    });
    expect(readContent('audio', '{"file_key":"f_2"}').resources[0]).toMatchObject({
      kind: 'audio',
      type: 'file',
    });
    expect(readContent('media', '{"file_key":"f_3","image_key":"img_c"}').resources[0]).toMatchObject({
      kind: 'video',
      key: 'f_3',
    });
    expect(readContent('sticker', '{"file_key":"s"}')).toEqual({ text: '', resources: [] });
    expect(readContent('text', 'not json')).toEqual({ text: '', resources: [] });
  });
});
