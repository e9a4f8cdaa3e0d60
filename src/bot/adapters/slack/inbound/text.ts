/** `<…>` tokens in Slack message text: mentions, channels, special mentions and links. */
const TOKEN = /<([^<>\n]+)>/g;
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g;

/** Whether `text` mentions the user `<@userId>` (with or without a `|label`). */
export function mentionsUser(text: string, userId: string): boolean {
  for (const match of text.matchAll(USER_MENTION)) if (match[1] === userId) return true;
  return false;
}

/** The user ids mentioned in `text`, except `exclude`. */
export function mentionedUsers(text: string, exclude?: string): string[] {
  const ids = [...text.matchAll(USER_MENTION)].map((m) => m[1] ?? '');
  return [...new Set(ids)].filter((id) => id !== '' && id !== exclude);
}

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function readToken(inner: string, botUserId: string, names: ReadonlyMap<string, string>): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    if (id === botUserId) return '';
    return `@${names.get(id) ?? label ?? id}`;
  }
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!subteam^')) return label ?? '@group';
  if (target.startsWith('!date^')) return label ?? '';
  if (target.startsWith('!')) return `@${target.slice(1)}`;
  const url = unescapeEntities(target);
  if (url.startsWith('mailto:'))
    return label === undefined ? url.slice('mailto:'.length) : unescapeEntities(label);
  if (label === undefined || unescapeEntities(label) === url || url.endsWith(`//${unescapeEntities(label)}`))
    return url;
  return `${unescapeEntities(label)} (${url})`;
}

/**
 * Slack message text as plain text: the bot's own mention removed, other users as `@name`
 * (from `names`, else the mention's label, else the id), channels as `#name`, links as
 * `label (url)`, and `&lt;` `&gt;` `&amp;` unescaped.
 */
export function plainText(
  text: string,
  botUserId: string,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  let out = '';
  let at = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += unescapeEntities(text.slice(at, match.index));
    const replaced = readToken(match[1] ?? '', botUserId, names);
    // A removed mention takes one neighbouring space with it.
    if (replaced === '' && out.endsWith(' ')) out = out.slice(0, -1);
    out += replaced;
    at = match.index + match[0].length;
  }
  out += unescapeEntities(text.slice(at));
  return out.replace(/^[ \t]+/, '').trim();
}
