import { BOT_SCOPES, type PermissionsFile, permissionsSchema } from './schema.js';

/** Used when the permissions file does not exist: the repository's roles, without limits. */
export const BUILT_IN_PERMISSIONS: PermissionsFile = permissionsSchema.parse({
  defaultRole: 'member',
  roles: {
    admin: {
      scopes: [...BOT_SCOPES],
    },
    member: { scopes: ['chat:ask', 'media:upload', 'media:read'] },
    guest: { scopes: ['chat:ask'] },
  },
});
