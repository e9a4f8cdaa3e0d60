import { PermissionsFileError } from '../../bot/permissions/errors.js';
import { EXIT_CONFIG } from '../config-or-exit.js';

/** A bad permissions file stops start-up: one line per problem with its JSON path, no stack trace. */
export function exitOnBadPermissions(error: unknown): never {
  if (!(error instanceof PermissionsFileError)) throw error;
  process.stderr.write(`teambot: ${error.message}\n`);
  process.exit(EXIT_CONFIG);
}
