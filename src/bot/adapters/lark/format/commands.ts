import type { ParsedCommand } from '../../../message.js';

/** Chinese names for the commands; typed as the first word, with or without a leading slash. */
export const CHINESE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['帮助', 'help'],
  ['清除', 'reset'],
  ['重置', 'reset'],
  ['清空', 'reset'],
  ['提问', 'ask'],
  ['问', 'ask'],
  ['额度', 'limits'],
  ['限额', 'limits'],
  ['我是谁', 'whoami'],
  ['管理', 'admin'],
  ['设置', 'settings'],
]);

/** Command names a bot menu item's event key may carry. */
const MENU_COMMANDS = new Set(['help', 'reset', 'limits', 'whoami']);

/** A slash, ASCII or full-width (what Chinese input methods type). */
const SLASH = /^[/／]/;
const ASCII_NAME = /^[a-z][a-z0-9_-]*$/i;

/**
 * A message that is a command: `/name args` with an ASCII name (any name, lower-cased, as the
 * registry answers unknown ones), or a Chinese alias (`帮助`, `/重置`, `问 今天…`) as the first word.
 *
 * Chinese has no spaces between words, so an alias counts only when it is the whole message or is
 * followed by whitespace: `帮助我写一封邮件` and `问题是…` are ordinary text. Without a slash only the
 * Chinese aliases are commands (`help me` is a question); `/帮助我写` is not a command either.
 */
export function parseLarkCommand(text: string): ParsedCommand | undefined {
  const trimmed = text.trim();
  const slashed = SLASH.test(trimmed);
  const body = slashed ? trimmed.slice(1) : trimmed;
  const match = /^(\S+)(?:\s+([\s\S]*))?$/u.exec(body);
  if (match === null) return undefined;
  const [, word = '', args = ''] = match;
  const alias = CHINESE_ALIASES.get(word);
  if (alias !== undefined) return { name: alias, args: args.trim() };
  if (slashed && ASCII_NAME.test(word)) return { name: word.toLowerCase(), args: args.trim() };
  return undefined;
}

/**
 * The command for a bot menu item (application.bot.menu_v6 `event_key`): `help`, `reset`, `limits`,
 * `whoami` or one of their Chinese names, case-insensitive, with or without a slash.
 */
export function menuCommand(eventKey: string): ParsedCommand | undefined {
  const key = eventKey.trim().replace(SLASH, '').toLowerCase();
  const name = CHINESE_ALIASES.get(key) ?? key;
  return MENU_COMMANDS.has(name) ? { name, args: '' } : undefined;
}
