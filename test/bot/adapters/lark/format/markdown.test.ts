import { describe, expect, it } from 'vitest';
import { larkMarkdown } from '../../../../../src/bot/adapters/lark/format/index.js';

describe('larkMarkdown: what a card renders passes unchanged', () => {
  it('keeps headings, lists, quotes, emphasis, links, tables and code', () => {
    const text = [
      '# Title',
      '',
      '## 小节',
      '- item with **bold**, *italic*, ~~strike~~ and `code`',
      '    1. nested',
      '> quoted',
      '',
      '[docs](https://open.feishu.cn/document) and <https://example.com>',
      '',
      '| a | b |',
      '|---|:-:|',
      '| 1 | 2 |',
      '',
      '---',
      'a < b && c > d, 1 * 2 * 3, snake_case_name',
      '```python',
      'print("<b>x</b>")',
      '```',
    ].join('\n');
    expect(larkMarkdown(text)).toBe(text);
  });

  it('escapes nothing in plain prose', () => {
    expect(larkMarkdown('价格是 $5 #1 [x] (y) 5*3=15 :)')).toBe('价格是 $5 #1 [x] (y) 5*3=15 :)');
  });

  it('normalizes line endings', () => {
    expect(larkMarkdown('a\r\nb\rc')).toBe('a\nb\nc');
  });
});

describe('larkMarkdown: HTML', () => {
  it('turns formatting tags into Markdown', () => {
    expect(
      larkMarkdown('<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em> <del>d</del> <code>c</code>'),
    ).toBe('**bold** **s** *i* *e* ~~d~~ `c`');
    expect(larkMarkdown('Press <kbd>Ctrl</kbd>+<kbd>C</kbd>')).toBe('Press `Ctrl`+`C`');
  });

  it('keeps <br> and <hr>, which a card renders', () => {
    expect(larkMarkdown('one<br>two<br/>three\n<hr>')).toBe('one<br>two<br/>three\n<hr>');
  });

  it('drops layout tags and comments, keeping their content', () => {
    expect(larkMarkdown('<div align="center"><p>Hi <span style="x">there</span></p></div>')).toBe('Hi there');
    expect(larkMarkdown('a<!-- hidden\nnote -->b')).toBe('ab');
    expect(larkMarkdown('<details><summary>More</summary>body</details>')).toBe('**More**body');
  });

  it('turns <a> and <img> into links the card can show', () => {
    expect(larkMarkdown('<a href="https://x.io">site</a>')).toBe('[site](https://x.io)');
    expect(larkMarkdown("<img src='https://x.io/cat.png' alt='a cat'>")).toBe(
      '[a cat](https://x.io/cat.png)',
    );
    expect(larkMarkdown('<img src="https://x.io/cat.png">')).toBe(
      '[https://x.io/cat.png](https://x.io/cat.png)',
    );
  });

  it("shows other tags as typed, Lark's own included, so nobody is notified", () => {
    expect(larkMarkdown('Vec<T> and List<String>')).toBe('Vec&#60;T> and List&#60;String>');
    expect(larkMarkdown('<at id=all></at> hi')).toBe('&#60;at id=all>&#60;/at> hi');
    expect(larkMarkdown('<at user_id="ou_1">x</at>')).toBe('&#60;at user_id="ou_1">x&#60;/at>');
    expect(larkMarkdown('<script>alert(1)</script>')).toBe('&#60;script>alert(1)&#60;/script>');
    expect(larkMarkdown('<?xml version="1.0"?> <!DOCTYPE html>')).toBe(
      '&#60;?xml version="1.0"?> &#60;!DOCTYPE html>',
    );
  });

  it('leaves tags inside code alone', () => {
    expect(larkMarkdown('use `<div>` or `Vec<T>`')).toBe('use `<div>` or `Vec<T>`');
    expect(larkMarkdown('```html\n<div><at id=all></at></div>\n```')).toBe(
      '```html\n<div><at id=all></at></div>\n```',
    );
  });
});

describe('larkMarkdown: links and images', () => {
  it('turns images from URLs into links and others into their alt text', () => {
    expect(larkMarkdown('![chart](https://x.io/c.png)')).toBe('[chart](https://x.io/c.png)');
    expect(larkMarkdown('![](https://x.io/c.png "t")')).toBe('[https://x.io/c.png](https://x.io/c.png)');
    expect(larkMarkdown('see ![diagram](./diagram.png) here')).toBe('see diagram here');
    expect(larkMarkdown('![x](data:image/png;base64,AAAA)')).toBe('x');
  });

  it('keeps images uploaded to Lark', () => {
    expect(larkMarkdown('![hover](img_v3_02ab_xyz)')).toBe('![hover](img_v3_02ab_xyz)');
  });

  it('writes links the card cannot open as text', () => {
    expect(larkMarkdown('[mail me](mailto:a@b.c)')).toBe('mail me (mailto:a@b.c)');
    expect(larkMarkdown('[README](./README.md)')).toBe('README (./README.md)');
    expect(larkMarkdown('[call](tel:+8610123)')).toBe('[call](tel:+8610123)');
    expect(larkMarkdown('[https://x](https://x)')).toBe('[https://x](https://x)');
    expect(larkMarkdown('[empty]()')).toBe('empty');
  });
});

describe('larkMarkdown: bold next to Chinese punctuation', () => {
  it('adds a space where bold ends in punctuation right before a letter', () => {
    expect(larkMarkdown('**注意：**这里')).toBe('**注意：** 这里');
    expect(larkMarkdown('见**“配置”**一节')).toBe('见 **“配置”** 一节');
    expect(larkMarkdown('**`code`**后')).toBe('**`code`** 后');
  });

  it('leaves bold that already renders', () => {
    expect(larkMarkdown('这是**重点**内容')).toBe('这是**重点**内容');
    expect(larkMarkdown('**注意：** 这里')).toBe('**注意：** 这里');
    expect(larkMarkdown('**Note:**\nnext')).toBe('**Note:**\nnext');
    expect(larkMarkdown('x**2 + y**2')).toBe('x**2 + y**2');
  });
});

describe('larkMarkdown: structure', () => {
  it('turns task list boxes into ☐ and ☑', () => {
    expect(larkMarkdown('- [ ] todo\n- [x] done\n  * [X] nested')).toBe('- ☐ todo\n- ☑ done\n  * ☑ nested');
  });

  it('moves indented fences to the line start, with a language the card knows', () => {
    expect(larkMarkdown('1. Run:\n   ```sh\n   npm test\n     --watch\n   ```\n2. Done')).toBe(
      '1. Run:\n```shell\nnpm test\n  --watch\n```\n2. Done',
    );
    expect(larkMarkdown('```ts title="a.ts"\nlet a;\n```')).toBe('```typescript\nlet a;\n```');
    expect(larkMarkdown('```C#\nx\n```')).toBe('```c_sharp\nx\n```');
    expect(larkMarkdown('```elixir\nx\n```')).toBe('```elixir\nx\n```');
    expect(larkMarkdown('~~~~\n```\n~~~~')).toBe('~~~~\n```\n~~~~');
  });

  it('keeps every table a table (splitCardText starts a new card before one too many)', () => {
    const table = (n: number) => `| t${n} | v |\n|---|---|\n| ${n} | <b>x</b> |`;
    const text = [1, 2, 3, 4, 5, 6].map(table).join('\n\n');
    const out = larkMarkdown(text);
    expect(out).toContain('| 4 | **x** |');
    expect(out).toContain('| 6 | **x** |');
    expect(out).not.toContain('```');
  });
});

describe('larkMarkdown: streaming', () => {
  it('leaves an open fence open', () => {
    expect(larkMarkdown('Code:\n```py\nprint(1)')).toBe('Code:\n```python\nprint(1)');
    expect(larkMarkdown('Code:\n```')).toBe('Code:\n```');
  });

  it('keeps earlier output a prefix as the answer grows, but for the last line', () => {
    const answer = [
      '## 步骤',
      '',
      '1. 安装 <b>依赖</b>：',
      '```bash',
      'npm install',
      '```',
      '2. 查看 [文档](https://open.feishu.cn)',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '**完成：**好了',
    ].join('\n');
    const lines = answer.split('\n');
    let previous = '';
    for (let i = 1; i <= lines.length; i++) {
      const out = larkMarkdown(lines.slice(0, i).join('\n'));
      const stable = previous.split('\n').slice(0, -1).join('\n');
      expect(out.startsWith(stable)).toBe(true);
      previous = out;
    }
  });
});
