import { describe, expect, it } from 'vitest';
import {
  cardSummary,
  finalCardSettings,
  interactiveCard,
  LARK_CARD_BYTE_LIMIT,
  LARK_CARD_TEXT_LIMIT,
  streamingCard,
  textMessageContent,
} from '../../../../../src/bot/adapters/lark/format/index.js';

describe('streamingCard', () => {
  it('is a card JSON 2.0 entity in streaming mode with one markdown element', () => {
    expect(streamingCard({ elementId: 'answer', text: '…', summary: '思考中' })).toEqual({
      schema: '2.0',
      config: {
        streaming_mode: true,
        streaming_config: {
          print_frequency_ms: { default: 30 },
          print_step: { default: 3 },
          print_strategy: 'fast',
        },
        summary: { content: '思考中' },
      },
      body: { elements: [{ tag: 'markdown', content: '…', element_id: 'answer' }] },
    });
  });

  it('starts empty, leaving Lark its "generating" preview', () => {
    const card = streamingCard({ elementId: 'md_1' });
    expect(card.body.elements[0]).toEqual({ tag: 'markdown', content: '', element_id: 'md_1' });
    expect(card.config).not.toHaveProperty('summary');
  });

  it('serializes for cardkit.v1.card.create', () => {
    const data = JSON.stringify(streamingCard({ elementId: 'answer', text: 'hi' }));
    expect(JSON.parse(data).config.streaming_mode).toBe(true);
  });

  it('rejects element ids Lark refuses', () => {
    for (const bad of ['', '1abc', 'has-dash', 'a'.repeat(21), 'spa ce']) {
      expect(() => streamingCard({ elementId: bad })).toThrow(RangeError);
    }
    expect(() => streamingCard({ elementId: `a${'_'.repeat(19)}` })).not.toThrow();
  });
});

describe('finalCardSettings', () => {
  it('turns streaming off and gives the preview from the answer', () => {
    expect(finalCardSettings('## 结论\n\n**答案**是 42。')).toEqual({
      config: { streaming_mode: false, summary: { content: '结论 答案是 42。' } },
    });
    expect(finalCardSettings()).toEqual({ config: { streaming_mode: false } });
    expect(JSON.parse(JSON.stringify(finalCardSettings('ok')))).toEqual({
      config: { streaming_mode: false, summary: { content: 'ok' } },
    });
  });
});

describe('interactiveCard', () => {
  it('is a card JSON 2.0 that im.v1.message.patch can update', () => {
    expect(interactiveCard('**hi**')).toEqual({
      schema: '2.0',
      config: { update_multi: true, summary: { content: 'hi' } },
      body: { elements: [{ tag: 'markdown', content: '**hi**' }] },
    });
    expect(interactiveCard('').config).toEqual({ update_multi: true });
  });

  it('stays under 30 KB with a full part of CJK text', () => {
    const text = '汉'.repeat(LARK_CARD_TEXT_LIMIT);
    const bytes = Buffer.byteLength(JSON.stringify(interactiveCard(text)));
    expect(bytes).toBeLessThanOrEqual(LARK_CARD_BYTE_LIMIT);
    const streaming = JSON.stringify(streamingCard({ elementId: 'answer', text, summary: '汉'.repeat(60) }));
    expect(Buffer.byteLength(streaming)).toBeLessThanOrEqual(LARK_CARD_BYTE_LIMIT);
  });

  it('stays under 30 KB with a full part of text that JSON escapes', () => {
    const text = '"\\\n'.repeat(LARK_CARD_TEXT_LIMIT / 3);
    expect(Buffer.byteLength(JSON.stringify(interactiveCard(text)))).toBeLessThanOrEqual(
      LARK_CARD_BYTE_LIMIT,
    );
  });
});

describe('textMessageContent', () => {
  it('is the JSON content of a text message', () => {
    expect(JSON.parse(textMessageContent('hello\n"world"'))).toEqual({ text: 'hello\n"world"' });
  });

  it('breaks up <at> tags so an answer cannot notify people', () => {
    const { text } = JSON.parse(textMessageContent('hi <at user_id="all">所有人</at> <AT id=x></AT>'));
    expect(text).not.toMatch(/<\/?at[\s>]/i);
    expect(text.replace(/\u200b/g, '')).toBe('hi <at user_id="all">所有人</at> <AT id=x></AT>');
    expect(JSON.parse(textMessageContent('a <atom> b')).text).toBe('a <atom> b');
  });
});

describe('cardSummary', () => {
  it('is one line of plain text, cut with an ellipsis', () => {
    expect(cardSummary('# Title\n- [link](https://x.io) and `code`\n```ts\nlet x;\n```')).toBe(
      'Title link and code let x;',
    );
    const long = cardSummary('字'.repeat(100));
    expect(Array.from(long)).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
    expect(cardSummary('😀'.repeat(70)).endsWith('😀…')).toBe(true);
  });
});
