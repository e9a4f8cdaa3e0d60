import { describe, expect, it } from 'vitest';
import { postToText, stripMentions, textContent } from '../../../../../src/bot/adapters/lark/format/index.js';

const BOT = 'ou_bot';
const bot = { key: '@_user_1', id: { open_id: BOT }, name: 'teambot' };
const alice = { key: '@_user_2', id: { open_id: 'ou_alice' }, name: 'Alice' };
/** Another user whose display name is the bot's. */
const impostor = { key: '@_user_3', id: { open_id: 'ou_impostor' }, name: 'teambot' };

describe('textContent', () => {
  it('reads the text of a text message, as a JSON string or parsed', () => {
    expect(textContent('{"text":"@_user_1 hello"}')).toBe('@_user_1 hello');
    expect(textContent({ text: '你好' })).toBe('你好');
  });

  it('gives empty text for anything else', () => {
    expect(textContent('{"title":"x"}')).toBe('');
    expect(textContent('oops')).toBe('');
    expect(textContent({ text: 42 })).toBe('');
    expect(textContent(undefined)).toBe('');
    expect(textContent('["text"]')).toBe('');
  });
});

describe('stripMentions', () => {
  it("removes the bot's own placeholder and names the others", () => {
    expect(stripMentions('@_user_1 ask @_user_2 about it', [bot, alice], BOT)).toEqual({
      text: 'ask @Alice about it',
      mentionsBot: true,
    });
    expect(stripMentions('hi @_user_1 there', [bot], BOT).text).toBe('hi there');
    expect(stripMentions('question? @_user_1', [bot], BOT).text).toBe('question?');
  });

  it('decides a mention of the bot by open_id only, never by name', () => {
    const result = stripMentions('@_user_3 what is this', [impostor], BOT);
    expect(result).toEqual({ text: '@teambot what is this', mentionsBot: false });
    expect(stripMentions('@_user_3 @_user_1 hi', [impostor, bot], BOT)).toEqual({
      text: '@teambot hi',
      mentionsBot: true,
    });
  });

  it('does not call a mention the bot when the bot id is unknown', () => {
    const noId = { key: '@_user_1', id: {}, name: 'teambot' };
    expect(stripMentions('@_user_1 hi', [noId], '').mentionsBot).toBe(false);
    expect(stripMentions('@_user_1 hi', [bot], '').mentionsBot).toBe(false);
  });

  it('matches placeholders whole: @_user_1 is not part of @_user_12', () => {
    const twelfth = { key: '@_user_12', id: { open_id: 'ou_12' }, name: 'Twelve' };
    expect(stripMentions('@_user_12 and @_user_1 done', [bot, twelfth], BOT).text).toBe('@Twelve and done');
  });

  it('handles CJK text without spaces around placeholders', () => {
    expect(stripMentions('@_user_1你好，@_user_2在吗', [bot, alice], BOT).text).toBe('你好，@Alice在吗');
  });

  it('writes @_all as @all and leaves unknown placeholders', () => {
    expect(stripMentions('@_all meeting', [], BOT).text).toBe('@all meeting');
    expect(stripMentions('@_user_9 x', [alice], BOT)).toEqual({ text: '@_user_9 x', mentionsBot: false });
    expect(stripMentions('plain', undefined, BOT)).toEqual({ text: 'plain', mentionsBot: false });
  });

  it('falls back to the open_id for a mention without a name', () => {
    const nameless = { key: '@_user_2', id: { open_id: 'ou_x' }, name: '' };
    expect(stripMentions('@_user_2', [nameless], BOT).text).toBe('@ou_x');
  });

  it('reports a mention of the bot even when its placeholder is not in the text', () => {
    expect(stripMentions('hello', [bot], BOT)).toEqual({ text: 'hello', mentionsBot: true });
  });

  it('resolves the placeholders postToText keeps', () => {
    const post = {
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: '' },
          { tag: 'text', text: ' 总结一下' },
        ],
      ],
    };
    expect(stripMentions(postToText(post), [bot], BOT)).toEqual({ text: '总结一下', mentionsBot: true });
  });

  it('does not read regular expression syntax in keys', () => {
    const odd = { key: '@_u.+', id: { open_id: 'ou_odd' }, name: 'Odd' };
    expect(stripMentions('@_u.+ @_uxx', [odd], BOT).text).toBe('@Odd @_uxx');
  });
});
