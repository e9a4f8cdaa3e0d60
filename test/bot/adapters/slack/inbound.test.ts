import { describe, expect, it } from 'vitest';
import { channelTypeFromName, chatKindOf } from '../../../../src/bot/adapters/slack/inbound/chat.js';
import { decide, needsFollowCheck } from '../../../../src/bot/adapters/slack/inbound/decide.js';
import {
  readMessageEvent,
  type SlackMessageEvent,
} from '../../../../src/bot/adapters/slack/inbound/event-shape.js';
import { ignoreReason } from '../../../../src/bot/adapters/slack/inbound/filter.js';
import { mentionedUsers, mentionsUser, plainText } from '../../../../src/bot/adapters/slack/inbound/text.js';
import { FollowedThreads } from '../../../../src/bot/adapters/slack/threads.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';

const self = { userId: 'UBOT', botId: 'BBOT', teamId: 'T1' };
const event = (over: Partial<SlackMessageEvent> = {}): SlackMessageEvent => ({
  type: 'message',
  channel: 'C1',
  channelType: 'channel',
  user: 'U1',
  text: 'hi',
  ts: '100.000001',
  files: [],
  ...over,
});

describe('plainText', () => {
  it("removes the bot's mention and keeps other mentions readable", () => {
    expect(plainText('<@UBOT> what about <@U2>?', 'UBOT')).toBe('what about @U2?');
    expect(plainText('ask <@UBOT|teambot> now', 'UBOT')).toBe('ask now');
    expect(plainText('hey <@U2> and <@W3|grace>', 'UBOT', new Map([['U2', 'ada']]))).toBe(
      'hey @ada and @grace',
    );
  });

  it('turns channels, special mentions and links into text and unescapes entities', () => {
    expect(plainText('see <#C9|general> <!here> <!subteam^S1|@devs>', 'UBOT')).toBe(
      'see #general @here @devs',
    );
    expect(plainText('<https://a.example/x?a=1&amp;b=2|the docs> and <https://b.example>', 'UBOT')).toBe(
      'the docs (https://a.example/x?a=1&b=2) and https://b.example',
    );
    expect(plainText('<mailto:a@b.example|a@b.example> 1 &lt; 2 &amp;&amp; 3 &gt; 2', 'UBOT')).toBe(
      'a@b.example 1 < 2 && 3 > 2',
    );
  });

  it('finds mentions', () => {
    expect(mentionsUser('hi <@UBOT|bot>', 'UBOT')).toBe(true);
    expect(mentionsUser('hi <@UBOTX>', 'UBOT')).toBe(false);
    expect(mentionedUsers('<@UBOT> <@U2> <@U2> <@W3>', 'UBOT')).toEqual(['U2', 'W3']);
  });
});

describe('which messages are answered', () => {
  it('ignores own, housekeeping and bot messages', () => {
    expect(ignoreReason(event(), self, false)).toBeUndefined();
    expect(ignoreReason(event({ user: 'UBOT' }), self, false)).toBe('own_message');
    expect(ignoreReason(event({ botId: 'BBOT', user: undefined }), self, true)).toBe('own_message');
    expect(ignoreReason(event({ subtype: 'message_deleted' }), self, false)).toBe('subtype_message_deleted');
    expect(ignoreReason(event({ subtype: 'file_share' }), self, false)).toBeUndefined();
    expect(ignoreReason(event({ subtype: 'thread_broadcast' }), self, false)).toBeUndefined();
    expect(ignoreReason(event({ botId: 'B2' }), self, false)).toBe('other_bot');
    expect(
      ignoreReason(event({ botId: 'B2', subtype: 'bot_message', user: undefined }), self, true),
    ).toBeUndefined();
  });

  it('answers DMs, mentions (in a new thread) and followed threads', () => {
    expect(decide(event({ channel: 'D1' }), 'dm', false, false)).toEqual({
      answer: true,
      thread: undefined,
      follow: false,
    });
    expect(decide(event({ threadTs: '99.1' }), 'dm', false, false)).toMatchObject({ thread: '99.1' });
    expect(decide(event(), 'channel', true, false)).toEqual({
      answer: true,
      thread: '100.000001',
      follow: true,
    });
    expect(decide(event({ threadTs: '99.1' }), 'channel', true, false)).toMatchObject({ thread: '99.1' });
    expect(decide(event({ threadTs: '99.1' }), 'channel', false, true)).toEqual({
      answer: true,
      thread: '99.1',
      follow: true,
    });
    expect(decide(event({ threadTs: '99.1' }), 'channel', false, false)).toEqual({ answer: false });
    expect(decide(event(), 'group', false, true)).toEqual({ answer: false });
    expect(needsFollowCheck(event({ threadTs: '99.1' }), 'channel', false)).toBe(true);
    expect(needsFollowCheck(event(), 'channel', false)).toBe(false);
    expect(needsFollowCheck(event({ threadTs: '99.1' }), 'dm', false)).toBe(false);
  });

  it('maps channel types to chat kinds', () => {
    expect(chatKindOf('D1', 'im')).toBe('dm');
    expect(chatKindOf('G1', 'mpim')).toBe('group');
    expect(chatKindOf('G1', 'group')).toBe('channel');
    expect(chatKindOf('D1')).toBe('dm');
    expect(chatKindOf('C1')).toBe('channel');
    expect(channelTypeFromName('directmessage')).toBe('im');
    expect(channelTypeFromName('mpdm-a--b-1')).toBe('mpim');
    expect(channelTypeFromName('general')).toBeUndefined();
  });

  it('reads only message-like events', () => {
    expect(readMessageEvent({ type: 'reaction_added', channel: 'C1', ts: '1.2' })).toBeUndefined();
    expect(readMessageEvent({ type: 'message', channel: 'C1' })).toBeUndefined();
    expect(
      readMessageEvent({
        type: 'message',
        channel: 'C1',
        ts: '1.2',
        user_team: 'T2',
        files: [{ id: 'F1' }, 'junk'],
      }),
    ).toMatchObject({ text: '', userTeam: 'T2', files: [{ id: 'F1' }] });
  });
});

describe('FollowedThreads', () => {
  it('remembers a thread for its TTL, per workspace and channel', async () => {
    let now = 1_000_000;
    const kv = new MemoryKeyValueStore({ prefix: 'ft:', now: () => now });
    const threads = new FollowedThreads(kv, 60_000);
    await threads.follow('T1', 'C1', '1.2');
    expect(await threads.isFollowed('T1', 'C1', '1.2')).toBe(true);
    expect(await threads.isFollowed('T1', 'C2', '1.2')).toBe(false);
    expect(await threads.isFollowed('T2', 'C1', '1.2')).toBe(false);
    now += 60_001;
    expect(await threads.isFollowed('T1', 'C1', '1.2')).toBe(false);
    await kv.close();
  });
});
