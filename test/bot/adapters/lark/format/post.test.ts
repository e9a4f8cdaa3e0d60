import { describe, expect, it } from 'vitest';
import { postResources, postToText } from '../../../../../src/bot/adapters/lark/format/index.js';

const mixed = {
  title: '周报 Weekly',
  content: [
    [
      { tag: 'text', text: 'Hello ', style: ['bold'] },
      { tag: 'at', user_id: '@_user_1', user_name: '' },
      { tag: 'text', text: ' see ' },
      { tag: 'a', text: 'the docs', href: 'https://open.feishu.cn' },
      { tag: 'emotion', emoji_type: 'SMILE' },
    ],
    [{ tag: 'img', image_key: 'img_v3_abc', width: 300, height: 200 }],
    [{ tag: 'hr' }],
    [{ tag: 'code_block', language: 'GO', text: 'func main() {}\n' }],
    [
      { tag: 'at', user_id: 'ou_123', user_name: 'Alice' },
      { tag: 'text', text: ' and ' },
      { tag: 'md', text: '**bold** _it_' },
    ],
    [{ tag: 'media', file_key: 'file_v3_video', image_key: 'img_v3_cover' }],
  ],
};

describe('postToText', () => {
  it('renders the title first, then each paragraph on its own line', () => {
    expect(postToText(mixed)).toBe(
      [
        '周报 Weekly',
        'Hello @_user_1 see the docs (https://open.feishu.cn)[SMILE]',
        '---',
        '```go\nfunc main() {}\n```',
        '@Alice and **bold** _it_',
      ].join('\n'),
    );
  });

  it('reads the JSON string the event carries, as well as the parsed object', () => {
    expect(postToText(JSON.stringify(mixed))).toBe(postToText(mixed));
  });

  it('unwraps the localized form, preferring zh_cn, then en_us, then any language', () => {
    const body = (text: string) => ({ title: '', content: [[{ tag: 'text', text }]] });
    expect(postToText({ en_us: body('english'), zh_cn: body('中文') })).toBe('中文');
    expect(postToText({ ja_jp: body('日本語'), en_us: body('english') })).toBe('english');
    expect(postToText({ ko_kr: body('한국어') })).toBe('한국어');
    expect(postToText({ zh_cn: { title: 'T', content: [[{ tag: 'text', text: 'x' }]] } })).toBe('T\nx');
  });

  it('shows a mention by name, keeping receive_v1 placeholders for stripMentions', () => {
    const content = (at: Record<string, string>) => ({ content: [[{ tag: 'at', ...at }]] });
    expect(postToText(content({ user_id: 'ou_1', user_name: 'Bob' }))).toBe('@Bob');
    expect(postToText(content({ user_id: 'ou_1' }))).toBe('@ou_1');
    expect(postToText(content({ user_id: '@_user_2', user_name: 'Bob' }))).toBe('@_user_2');
    expect(postToText(content({ user_id: 'all' }))).toBe('@all');
  });

  it('writes a link as its text and URL, or the URL alone', () => {
    const a = (text: string, href: string) => ({ content: [[{ tag: 'a', text, href }]] });
    expect(postToText(a('site', 'https://x.io'))).toBe('site (https://x.io)');
    expect(postToText(a('https://x.io', 'https://x.io'))).toBe('https://x.io');
    expect(postToText(a('', 'https://x.io'))).toBe('https://x.io');
    expect(postToText(a('label', ''))).toBe('label');
  });

  it('puts a code block on lines of its own, in a fence its code cannot close', () => {
    const content = {
      content: [
        [
          { tag: 'text', text: 'Run:' },
          { tag: 'code_block', language: '', text: 'echo ```hi```' },
          { tag: 'text', text: 'done' },
        ],
      ],
    };
    expect(postToText(content)).toBe('Run:\n~~~\necho ```hi```\n~~~\ndone');
  });

  it('drops paragraphs left empty (images, videos) and ignores junk', () => {
    expect(
      postToText({ content: [[{ tag: 'img', image_key: 'k' }], [], [{ tag: 'text', text: 'x' }]] }),
    ).toBe('x');
    expect(postToText({ content: [[null, 3, { tag: 'text', text: 'ok' }, { tag: 'unknown' }]] })).toBe('ok');
    expect(postToText({ content: [[{ tag: 'future', text: 'kept' }]] })).toBe('kept');
    expect(postToText('not json')).toBe('');
    expect(postToText(null)).toBe('');
    expect(postToText({ text: 'a text message' })).toBe('');
    expect(postToText({ title: 'Only a title', content: [] })).toBe('Only a title');
  });
});

describe('postResources', () => {
  it('lists images and videos with the key and type messageResource.get needs', () => {
    expect(postResources(JSON.stringify(mixed))).toEqual([
      { kind: 'image', key: 'img_v3_abc', type: 'image' },
      { kind: 'video', key: 'file_v3_video', type: 'file' },
    ]);
    expect(postResources({ zh_cn: { content: [[{ tag: 'img', image_key: 'img_1' }]] } })).toEqual([
      { kind: 'image', key: 'img_1', type: 'image' },
    ]);
    expect(postResources('{}')).toEqual([]);
  });
});
