import type { Logger } from '../../log/logger.js';
import type { PermissionsFile } from '../permissions/schema.js';
import type { PermissionsSource } from '../permissions/source.js';
import type { ChannelOverrides } from './schema.js';
import type { ChannelSettingsStore } from './store.js';
import { type ChannelRef, type ChannelSettings, channelKey } from './types.js';

const defined = (overrides: ChannelOverrides | undefined): ChannelOverrides =>
  Object.fromEntries(Object.entries(overrides ?? {}).filter(([, v]) => v !== undefined));

/** Built-in defaults ← `channelDefaults` ← `chats.<chat>` of the file ← `stored` (admins' overrides). */
export function mergeChannelSettings(
  file: PermissionsFile,
  ref: ChannelRef,
  stored: ChannelOverrides,
): ChannelSettings {
  const { role: _role, limits: _limits, ...fromChat } = file.chats[channelKey(ref)] ?? {};
  const merged = {
    ...defined(file.channelDefaults),
    ...defined(fromChat),
    ...defined(stored),
  };
  return {
    mentionRequired: merged.mentionRequired ?? file.access.groupsNeedMention,
    systemPrompt: merged.systemPrompt,
    backend: merged.backend,
    suggestedPrompts: merged.suggestedPrompts,
    burst: merged.burst ?? 'queue',
    thinking: merged.thinking ?? false,
  };
}

/**
 * The one resolver of per-channel settings: permissions.json (reloaded as it changes) merged with
 * admins' overrides from the KV store. When the store cannot be read, the file alone decides.
 */
export class ChannelSettingsResolver {
  constructor(
    private readonly source: Pick<PermissionsSource, 'current'>,
    readonly store: ChannelSettingsStore,
    private readonly log: Logger,
  ) {}

  async forChat(ref: ChannelRef): Promise<ChannelSettings> {
    const stored = await this.store.get(ref).catch((error: unknown) => {
      this.log.warn(
        { err: error, chat: channelKey(ref) },
        'channel settings unavailable; using permissions.json',
      );
      return {};
    });
    return mergeChannelSettings(this.source.current(), ref, stored);
  }

  /** The settings permissions.json alone gives (what `/admin channel reset` goes back to). */
  fromFile(ref: ChannelRef): ChannelSettings {
    return mergeChannelSettings(this.source.current(), ref, {});
  }
}
