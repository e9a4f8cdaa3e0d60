import { readFile } from 'node:fs/promises';
import { hasCode } from '../../util/system-error.js';
import { PermissionsFileError, problemsOf } from './errors.js';
import { type PermissionsFile, permissionsSchema } from './schema.js';

/** Parses and validates permissions.json text; throws PermissionsFileError listing every problem. */
export function parsePermissions(file: string, text: string): PermissionsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PermissionsFileError(file, [
      { path: '', message: `not valid JSON: ${(error as Error).message}` },
    ]);
  }
  const result = permissionsSchema.safeParse(json);
  if (!result.success) throw new PermissionsFileError(file, problemsOf(result.error));
  return result.data;
}

/** Reads the file; a missing file is an error too (start-up needs one; the repo ships a default). */
export async function loadPermissions(file: string): Promise<PermissionsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const message = hasCode(error, 'ENOENT') ? 'file not found' : (error as Error).message;
    throw new PermissionsFileError(file, [{ path: '', message }]);
  }
  return parsePermissions(file, text);
}
