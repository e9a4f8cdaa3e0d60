import { UserFacingError } from '../errors.js';
import { BURST_STRATEGIES, type ChannelOverrides, channelOverridesSchema } from './schema.js';

/** The names `/admin channel set` takes, and the field of ChannelOverrides each sets. */
export const SETTING_FIELDS = {
  mention: 'mentionRequired',
  prompt: 'systemPrompt',
  backend: 'backend',
  prompts: 'suggestedPrompts',
  burst: 'burst',
  thinking: 'thinking',
} as const satisfies Record<string, keyof ChannelOverrides>;

export type SettingName = keyof typeof SETTING_FIELDS;

export const SETTING_HELP =
  'mention on|off · prompt <text> · backend <name> · prompts <a> | <b> … · ' +
  `burst ${BURST_STRATEGIES.join('|')} · thinking on|off`;

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTING_FIELDS, name);
}

function toggle(value: string, name: string): boolean {
  if (/^(on|true|yes)$/i.test(value)) return true;
  if (/^(off|false|no)$/i.test(value)) return false;
  throw new UserFacingError(`${name} takes on or off, not ${value}.`, 'usage');
}

/** The override `/admin channel set <name> <value>` makes, checked as permissions.json would be. */
export function parseSetting(name: SettingName, value: string): ChannelOverrides {
  const field = SETTING_FIELDS[name];
  const raw =
    name === 'mention' || name === 'thinking'
      ? toggle(value, name)
      : name === 'prompts'
        ? value
            .split('|')
            .map((p) => p.trim())
            .filter((p) => p !== '')
            // Typed by an admin as text: the button shows its start, picking it sends all of it.
            .map((p) => ({ title: p.length > 75 ? `${p.slice(0, 74)}…` : p, message: p }))
        : value;
  const parsed = channelOverridesSchema.safeParse({ [field]: raw });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserFacingError(`Not a valid ${name}: ${issue?.message ?? 'invalid value'}.`, 'usage');
  }
  return parsed.data;
}
