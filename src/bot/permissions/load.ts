import { readFile } from 'node:fs/promises';
import { hasCode } from '../../util/system-error.js';
import { jsonPath, PermissionsFileError, type PermissionsProblem, problemsOf } from './errors.js';
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
  if (!result.success) {
    // zod skips the cross-field role checks when the structure is wrong; list those problems too.
    const problems = problemsOf(result.error);
    const seen = new Set(problems.map((p) => p.path));
    for (const extra of unknownRoles(json)) if (!seen.has(extra.path)) problems.push(extra);
    throw new PermissionsFileError(file, problems);
  }
  return result.data;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** References to roles the file does not define, read leniently from any JSON. */
function unknownRoles(json: unknown): PermissionsProblem[] {
  if (!isObject(json) || !isObject(json.roles)) return [];
  const roles = json.roles;
  const problems: PermissionsProblem[] = [];
  const check = (path: PropertyKey[], role: unknown) => {
    if (typeof role === 'string' && !Object.hasOwn(roles, role))
      problems.push({ path: jsonPath(path), message: `unknown role "${role}"` });
  };
  check(['defaultRole'], json.defaultRole);
  if (isObject(json.users))
    for (const [user, role] of Object.entries(json.users)) check(['users', user], role);
  if (isObject(json.chats)) {
    for (const [chat, settings] of Object.entries(json.chats))
      if (isObject(settings)) check(['chats', chat, 'role'], settings.role);
  }
  return problems;
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
