import type { KeyValueStore } from '../../storage/kv/types.js';
import type { RoleLimits } from './schema.js';

/** What admins changed for one user on top of the file. */
export interface UserOverride {
  role?: string | undefined;
  grant: string[];
  revoke: string[];
}

export type RoleLimitsOverride = Partial<RoleLimits>;

const USER_PREFIX = 'perm:user:';
const ROLE_PREFIX = 'perm:limits:';

/**
 * Admin overrides in the key-value store, read through on every decision so each replica sees a
 * change at once (one GET per user and one per role; Redis keeps them for every replica).
 */
export class PermissionOverrides {
  constructor(private readonly kv: KeyValueStore) {}

  async user(userKey: string): Promise<UserOverride> {
    return parseUser(await this.kv.get(USER_PREFIX + userKey));
  }

  async setUser(userKey: string, override: UserOverride): Promise<void> {
    const empty = override.role === undefined && override.grant.length === 0 && override.revoke.length === 0;
    if (empty) await this.kv.delete(USER_PREFIX + userKey);
    else await this.kv.set(USER_PREFIX + userKey, JSON.stringify(override));
  }

  async roleLimits(role: string): Promise<RoleLimitsOverride> {
    const raw = await this.kv.get(ROLE_PREFIX + role);
    if (raw === null) return {};
    try {
      return JSON.parse(raw) as RoleLimitsOverride;
    } catch {
      return {};
    }
  }

  async setRoleLimits(role: string, limits: RoleLimitsOverride): Promise<void> {
    await this.kv.set(ROLE_PREFIX + role, JSON.stringify(limits));
  }

  async clearRoleLimits(role: string): Promise<void> {
    await this.kv.delete(ROLE_PREFIX + role);
  }
}

function parseUser(raw: string | null): UserOverride {
  if (raw === null) return { grant: [], revoke: [] };
  try {
    const value = JSON.parse(raw) as Partial<UserOverride>;
    return {
      role: typeof value.role === 'string' ? value.role : undefined,
      grant: Array.isArray(value.grant) ? value.grant.filter((s) => typeof s === 'string') : [],
      revoke: Array.isArray(value.revoke) ? value.revoke.filter((s) => typeof s === 'string') : [],
    };
  } catch {
    return { grant: [], revoke: [] };
  }
}
