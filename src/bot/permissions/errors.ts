import type { z } from 'zod';

/** One problem in permissions.json: where (a JSON path such as `roles.member.limits.requests[0]`) and what. */
export interface PermissionsProblem {
  path: string;
  message: string;
}

export class PermissionsFileError extends Error {
  override readonly name = 'PermissionsFileError';
  constructor(
    readonly file: string,
    readonly problems: PermissionsProblem[],
  ) {
    super(
      `${file} is invalid:\n${problems.map((p) => `  ${p.path === '' ? '(file)' : p.path}: ${p.message}`).join('\n')}`,
    );
  }
}

/** `['roles', 'member', 'limits', 'requests', 0]` → `roles.member.limits.requests[0]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const name = String(part);
      out += /^[A-Za-z_$][\w$]*$/.test(name)
        ? `${out === '' ? '' : '.'}${name}`
        : `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

export function problemsOf(error: z.ZodError): PermissionsProblem[] {
  return error.issues.map((issue) => {
    // A bad record key: the key's own message says what was expected.
    const message =
      issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return { path: jsonPath(issue.path), message };
  });
}
