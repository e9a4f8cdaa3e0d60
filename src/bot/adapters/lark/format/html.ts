/**
 * HTML in an LLM's Markdown, made into what a Lark card's markdown element shows.
 *
 * Card JSON 2.0 renders no HTML blocks and only its own inline tags (`<br>`, `<hr>`, `<at>`,
 * `<font>`, `<a>`, `<link>`, `<person>`, …). Common formatting tags become Markdown, `<img>` and
 * `<a>` become Markdown links (which larkMarkdown then checks), layout tags are dropped with their
 * content kept, and anything else that reads as a tag has its `<` written `&#60;`, so it shows as
 * typed: `Vec<T>`, and Lark's own tags, above all `<at id=all>`, which would notify people.
 */
export function convertHtml(text: string): string {
  return text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(IMG, (tag: string) => imageLink(attribute(tag, 'alt'), attribute(tag, 'src')))
    .replace(ANCHOR, (_all, attrs: string, label: string) => anchorLink(label, attribute(attrs, 'href')))
    .replace(TAG, (tag: string, slash: string, name: string) => convertTag(tag, slash, name.toLowerCase()))
    .replace(/<(?=[!?][^<>\n]*>)/g, '&#60;');
}

const IMG = /<img\b[^<>]*>/gi;
const ANCHOR = /<a\b([^<>]*)>([^<>]*)<\/a\s*>/gi;
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?\/?>/g;

const MARKDOWN: Readonly<Record<string, string>> = {
  b: '**',
  strong: '**',
  i: '*',
  em: '*',
  s: '~~',
  del: '~~',
  strike: '~~',
  code: '`',
  kbd: '`',
  summary: '**',
};

/** Layout and styling tags shown by their content alone. */
const DROPPED = new Set([
  'a',
  'p',
  'div',
  'span',
  'u',
  'ins',
  'mark',
  'small',
  'big',
  'sup',
  'sub',
  'center',
  'details',
  'section',
  'article',
  'blockquote',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
]);

/** Standard tags a card's markdown renders itself. */
const KEPT = new Set(['br', 'hr']);

function convertTag(tag: string, slash: string, name: string): string {
  if (KEPT.has(name) && slash === '') return tag;
  if (Object.hasOwn(MARKDOWN, name)) return MARKDOWN[name] as string;
  if (DROPPED.has(name)) return '';
  return `&#60;${tag.slice(1)}`;
}

/** The value of an attribute in a tag's source: quoted with " or ', or bare. */
function attribute(tag: string, name: string): string {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match?.[1] ?? match?.[2] ?? match?.[3] ?? '';
}

function imageLink(alt: string, src: string): string {
  if (src === '') return alt;
  return `![${alt}](${src})`;
}

function anchorLink(label: string, href: string): string {
  const text = label.trim();
  if (href === '') return text;
  return `[${text || href}](${href})`;
}
