import { isRecord } from '../../../../util/is-record.js';
import { str } from './json.js';
import { postBody } from './post.js';

/**
 * A post (rich text) message as plain text: the title first, then one line per paragraph.
 *
 * Elements: `text` as written; `a` as `text (href)` (or the bare URL); `at` as `@name`, except a
 * receive_v1 placeholder (`@_user_1`, whose `user_name` is often empty) which is kept for
 * `stripMentions` to resolve; `emotion` as `[EMOJI_TYPE]`; `code_block` as a fenced block with its
 * language; `hr` as `---`; `md` as its Markdown. `img` and `media` add no text (the adapter reads
 * their keys with `postResources`); paragraphs left empty are dropped.
 */
export function postToText(content: unknown): string {
  const body = postBody(content);
  if (body === undefined) return '';
  const lines = body.content.map(paragraphText).filter((line) => line.trim() !== '');
  if (body.title !== '') lines.unshift(body.title);
  return lines.join('\n').trim();
}

function paragraphText(elements: unknown[]): string {
  let out = '';
  for (const element of elements) {
    if (!isRecord(element)) continue;
    if (element.tag === 'code_block') {
      if (out !== '' && !out.endsWith('\n')) out += '\n';
      out += `${codeBlock(element)}\n`;
      continue;
    }
    out += elementText(element);
  }
  return out.replace(/\n$/, '');
}

function elementText(element: Record<string, unknown>): string {
  switch (element.tag) {
    case 'text':
    case 'md':
      return str(element.text);
    case 'a':
      return link(str(element.text), str(element.href));
    case 'at':
      return mention(element);
    case 'emotion': {
      const emoji = str(element.emoji_type);
      return emoji === '' ? '' : `[${emoji}]`;
    }
    case 'hr':
      return '---';
    case 'img':
    case 'media':
      return '';
    default:
      return str(element.text);
  }
}

function link(text: string, href: string): string {
  if (href === '' || text === href) return text || href;
  return text === '' ? href : `${text} (${href})`;
}

function mention(element: Record<string, unknown>): string {
  const id = str(element.user_id);
  const name = str(element.user_name);
  if (id.startsWith('@_')) return id;
  if (id === 'all') return '@all';
  const shown = name || id;
  return shown === '' ? '' : `@${shown}`;
}

function codeBlock(element: Record<string, unknown>): string {
  const language = str(element.language).toLowerCase();
  const code = str(element.text).replace(/\n$/, '');
  const fence = code.includes('```') ? '~~~' : '```';
  return `${fence}${language}\n${code}\n${fence}`;
}
