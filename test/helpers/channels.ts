import { ChannelSettingsResolver } from '../../src/bot/channels/resolve.js';
import { ChannelSettingsStore } from '../../src/bot/channels/store.js';
import type { PermissionsFile } from '../../src/bot/permissions/schema.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { captureLogger } from './capture-logger.js';

/** Per-channel settings over `file` and an empty in-memory store of admins' overrides. */
export function channelsOver(file: () => PermissionsFile): ChannelSettingsResolver {
  return new ChannelSettingsResolver(
    { current: file },
    new ChannelSettingsStore(new MemoryKeyValueStore()),
    captureLogger().logger,
  );
}
