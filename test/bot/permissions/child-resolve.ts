/**
 * A second replica for the overrides test: resolves a user's access from the permissions file
 * argv[2] and the Redis at argv[3] (prefix argv[4]) and prints it as JSON. Run with `node --import tsx`.
 */
import { loadPermissions } from '../../../src/bot/permissions/load.js';
import { PermissionOverrides } from '../../../src/bot/permissions/overrides.js';
import { resolveAccess } from '../../../src/bot/permissions/resolve.js';
import { RedisKeyValueStore } from '../../../src/storage/kv/redis.js';
import { message } from '../../helpers/messages.js';

const [file = '', url = '', prefix = '', user = 'U1'] = process.argv.slice(2);
const kv = new RedisKeyValueStore({ url, prefix });
const access = await resolveAccess(
  await loadPermissions(file),
  new PermissionOverrides(kv),
  message({ user: { id: user } }),
);
process.stdout.write(
  `${JSON.stringify({ role: access.role, scopes: [...access.scopes].sort(), limits: access.limits })}\n`,
);
await kv.close();
