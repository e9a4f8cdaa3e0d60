/** One entry of `message.mentions` in im.message.receive_v1 (the fields read here). */
export interface LarkMention {
  /** The placeholder in the text, e.g. `@_user_1`. */
  key: string;
  id?: { open_id?: string | undefined } | undefined;
  name?: string | undefined;
}

export interface StrippedMentions {
  /** The text with the bot's placeholder removed and the others as `@name`, trimmed. */
  text: string;
  /** Whether one of the mentions is the bot, by open_id. */
  mentionsBot: boolean;
}

/**
 * Resolves the `@_user_N` placeholders Lark puts in message text for mentions: the bot's own is
 * removed (with one space after it), any other becomes `@name`, and `@_all` becomes `@all`.
 *
 * Whether the bot is mentioned is decided only by the open_id in `mentions`, never by a name: any
 * user may carry the bot's display name. Placeholders are matched whole (`@_user_1` never inside
 * `@_user_12`); ones missing from `mentions` are left as they are.
 */
export function stripMentions(
  text: string,
  mentions: readonly LarkMention[] | undefined,
  botOpenId: string,
): StrippedMentions {
  const list = (mentions ?? []).filter((m) => typeof m.key === 'string' && m.key !== '');
  const isBot = (m: LarkMention): boolean => botOpenId !== '' && m.id?.open_id === botOpenId;
  const mentionsBot = list.some(isBot);
  const byKey = new Map(list.map((m) => [m.key, m]));
  const keys = [...byKey.keys(), '@_all'].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const placeholder = new RegExp(`(${keys.join('|')})(?![A-Za-z0-9_])([ \\t\\u3000]?)`, 'g');
  const out = text.replace(placeholder, (all: string, key: string, space: string) => {
    const mention = byKey.get(key);
    if (mention === undefined) return key === '@_all' ? `@all${space}` : all;
    if (isBot(mention)) return '';
    return `@${mention.name || mention.id?.open_id || key.replace(/^@_?/, '')}${space}`;
  });
  return { text: out.trim(), mentionsBot };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
