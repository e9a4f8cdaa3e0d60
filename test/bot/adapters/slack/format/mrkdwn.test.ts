import { describe, expect, it } from 'vitest';
import { toMrkdwn } from '../../../../../src/bot/adapters/slack/format/index.js';

const ZWSP = '\u200b';

describe('toMrkdwn: emphasis', () => {
  it.each([
    ['**bold**', '*bold*'],
    ['__bold__', '*bold*'],
    ['*italic*', '_italic_'],
    ['_italic_', '_italic_'],
    ['~~strike~~', '~strike~'],
    ['***both***', '*_both_*'],
    ['a **b** c *d* e ~~f~~ g', 'a *b* c _d_ e ~f~ g'],
  ])('%s → %s', (markdown, mrkdwn) => {
    expect(toMrkdwn(markdown)).toBe(mrkdwn);
  });

  it('converts italic nested in bold and bold nested in italic', () => {
    expect(toMrkdwn('**bold with *italic* inside**')).toBe('*bold with _italic_ inside*');
    expect(toMrkdwn('*italic with **bold** inside*')).toBe('_italic with *bold* inside_');
    expect(toMrkdwn('__bold with _italic_ inside__')).toBe('*bold with _italic_ inside*');
  });

  it('leaves underscores inside words alone', () => {
    expect(toMrkdwn('call snake_case_name with my_var_x')).toBe('call snake_case_name with my_var_x');
    expect(toMrkdwn('set MAX_TOKENS and __init__ stays bold-free in code: `__init__`')).toBe(
      'set MAX_TOKENS and *init* stays bold-free in code: `__init__`',
    );
  });

  it('leaves the asterisks of arithmetic alone', () => {
    expect(toMrkdwn('2*3*4 = 24')).toBe('2*3*4 = 24');
    expect(toMrkdwn('a * b * c')).toBe('a * b * c');
    expect(toMrkdwn('x**2 + y**2')).toBe('x**2 + y**2');
  });

  it('bolds inside words (CJK has no spaces) with zero-width spaces so Slack sees the markers', () => {
    expect(toMrkdwn('这是**重点**内容')).toBe(`这是${ZWSP}*重点*${ZWSP}内容`);
  });

  it('keeps unmatched markers as they are', () => {
    expect(toMrkdwn('a lone * star and ** two')).toBe('a lone * star and ** two');
    expect(toMrkdwn('**not closed')).toBe('**not closed');
  });

  it('turns backslash escapes into the plain character without formatting', () => {
    expect(toMrkdwn('\\*\\*not bold\\*\\* and 5 \\< 6')).toBe('**not bold** and 5 &lt; 6');
  });
});

describe('toMrkdwn: links', () => {
  it('converts [text](url) to <url|text>', () => {
    expect(toMrkdwn('see [the docs](https://example.com/docs)')).toBe(
      'see <https://example.com/docs|the docs>',
    );
  });

  it('keeps underscores and asterisks in URLs out of emphasis', () => {
    expect(toMrkdwn('[a_b](https://example.com/a_b_c/d_e) and _it_')).toBe(
      '<https://example.com/a_b_c/d_e|a_b> and _it_',
    );
    expect(toMrkdwn('go to https://example.com/foo_bar_baz_qux now')).toBe(
      'go to https://example.com/foo_bar_baz_qux now',
    );
    expect(toMrkdwn('**https://example.com/x_y_z**')).toBe('*https://example.com/x_y_z*');
  });

  it('escapes & in URLs and keeps trailing punctuation out of bare URLs', () => {
    expect(toMrkdwn('[q](https://x.io/?a=1&b=2)')).toBe('<https://x.io/?a=1&amp;b=2|q>');
    expect(toMrkdwn('visit https://x.io/a?b=1&c=2.')).toBe('visit https://x.io/a?b=1&amp;c=2.');
    expect(toMrkdwn('(https://x.io/wiki/Foo_(bar))')).toBe('(https://x.io/wiki/Foo_(bar))');
  });

  it('handles titles, images, bracketed labels and parentheses in URLs', () => {
    expect(toMrkdwn('[t](https://x.io "Title")')).toBe('<https://x.io|t>');
    expect(toMrkdwn('![a cat](https://x.io/cat.png)')).toBe('<https://x.io/cat.png|a cat>');
    expect(toMrkdwn('[see [1]](https://x.io/wiki/A_(b))')).toBe('<https://x.io/wiki/A_(b)|see [1]>');
  });

  it('shows link labels plain, without Markdown markers or a | that would end them', () => {
    expect(toMrkdwn('[**bold** `code`](https://x.io)')).toBe('<https://x.io|bold code>');
    expect(toMrkdwn('[a|b](https://x.io)')).toBe('<https://x.io|a¦b>');
    expect(toMrkdwn('[https://x.io](https://x.io)')).toBe('<https://x.io>');
  });

  it('writes relative links, which Slack cannot follow, as text', () => {
    expect(toMrkdwn('[settings](/admin/settings)')).toBe('settings (/admin/settings)');
  });

  it('keeps Slack mentions, channel links and autolinks, and escapes other angle brackets', () => {
    expect(toMrkdwn('hi <@U123ABC>, see <#C0456|general> and <https://x.io>')).toBe(
      'hi <@U123ABC>, see <#C0456|general> and <https://x.io>',
    );
    expect(toMrkdwn('<!channel> <script>alert(1)</script>')).toBe(
      '&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });
});

describe('toMrkdwn: escaping', () => {
  it('escapes &, < and > in plain text', () => {
    expect(toMrkdwn('1 < 2 & 3 > 2')).toBe('1 &lt; 2 &amp; 3 &gt; 2');
    expect(toMrkdwn('Tom & Jerry')).toBe('Tom &amp; Jerry');
  });

  it('turns <br> into a space', () => {
    expect(toMrkdwn('| a<br>b |')).toBe('| a b |');
  });
});

describe('toMrkdwn: blocks', () => {
  it('turns headings into bold lines', () => {
    expect(toMrkdwn('# Title')).toBe('*Title*');
    expect(toMrkdwn('### Step **two** ###')).toBe('*Step two*');
    expect(toMrkdwn('#hashtag is not a heading')).toBe('#hashtag is not a heading');
  });

  it('turns - * + bullets into •, keeping indentation and task boxes', () => {
    expect(toMrkdwn('- one\n* two\n+ three\n  - nested *it*')).toBe('• one\n• two\n• three\n  • nested _it_');
    expect(toMrkdwn('- [ ] todo\n- [x] done')).toBe('• ☐ todo\n• ☑ done');
    expect(toMrkdwn('1. first\n2. **second**')).toBe('1. first\n2. *second*');
  });

  it('keeps block quotes as Slack quotes, one level deep', () => {
    expect(toMrkdwn('> quoted **text**\n>> deeper')).toBe('> quoted *text*\n> deeper');
  });

  it('draws horizontal rules as a line', () => {
    expect(toMrkdwn('above\n\n---\n\nbelow')).toBe('above\n\n──────────\n\nbelow');
  });

  it('keeps blank lines and normalises CRLF', () => {
    expect(toMrkdwn('a\r\n\r\nb')).toBe('a\n\nb');
  });
});

describe('toMrkdwn: code', () => {
  it('leaves inline code as written except for entity escaping', () => {
    expect(toMrkdwn('use `**kwargs` and `a_b_c` and `x < y && z`')).toBe(
      'use `**kwargs` and `a_b_c` and `x &lt; y &amp;&amp; z`',
    );
  });

  it('reads double-backtick spans and leaves unclosed backticks alone', () => {
    expect(toMrkdwn('``a `tick` b`` and `` x ``')).toBe('``a `tick` b`` and `x`');
    expect(toMrkdwn('a ` lone *it*')).toBe('a ` lone _it_');
  });

  it('keeps fenced code as written, without the language tag', () => {
    const markdown = [
      'Try:',
      '',
      '```python',
      'def f(**kwargs):',
      '    return 2*3*4  # *not italic* __x__',
      '# not a heading',
      '- not a bullet',
      '```',
      'Done **now**.',
    ].join('\n');
    expect(toMrkdwn(markdown)).toBe(
      [
        'Try:',
        '',
        '```',
        'def f(**kwargs):',
        '    return 2*3*4  # *not italic* __x__',
        '# not a heading',
        '- not a bullet',
        '```',
        'Done *now*.',
      ].join('\n'),
    );
  });

  it('escapes <, > and & in code so Slack shows them instead of reading links', () => {
    expect(toMrkdwn('```ts\nconst m = new Map<string, number>(); a && b;\n```')).toBe(
      '```\nconst m = new Map&lt;string, number&gt;(); a &amp;&amp; b;\n```',
    );
  });

  it('handles tilde fences, longer fences, indented fences and unclosed fences', () => {
    expect(toMrkdwn('~~~\n**x**\n~~~')).toBe('```\n**x**\n```');
    expect(toMrkdwn('````md\n```\ninner\n```\n````')).toBe('```\n```\ninner\n```\n```');
    expect(toMrkdwn('1. step\n   ```sh\n   ls -la\n   ```\n2. next')).toBe(
      '1. step\n```\nls -la\n```\n2. next',
    );
    expect(toMrkdwn('text\n```js\nlet a = 1;')).toBe('text\n```\nlet a = 1;\n```');
  });
});
