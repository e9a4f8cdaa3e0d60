import { Command } from 'commander';
import { PermissionsFileError } from '../../bot/permissions/errors.js';
import { loadPermissions } from '../../bot/permissions/load.js';
import type { PermissionsFile } from '../../bot/permissions/schema.js';
import { readSettings } from '../../config/subset.js';
import { larkScopes, slackScopes } from './platform-scopes.js';

export interface CheckEnv {
  SLACK_BOT_TOKEN?: string | undefined;
  SLACK_API_URL?: string | undefined;
  LARK_APP_ID?: string | undefined;
  LARK_APP_SECRET?: string | undefined;
  LARK_DOMAIN?: string | undefined;
}

const missingFrom = (required: readonly string[], granted: Set<string>) =>
  required.filter((s) => !granted.has(s));

/** Validates the file and compares the platform scopes it requires with what the apps have. Returns the exit code. */
export async function checkPermissions(
  path: string,
  env: CheckEnv,
  out: (line: string) => void,
): Promise<number> {
  let file: PermissionsFile;
  try {
    file = await loadPermissions(path);
  } catch (error) {
    if (!(error instanceof PermissionsFileError)) throw error;
    out(error.message);
    return 1;
  }
  out(`${path}: valid (${Object.keys(file.roles).length} roles, default ${file.defaultRole})`);
  let failed = false;
  const report = (what: string, required: readonly string[], granted: Set<string>) => {
    const missing = missingFrom(required, granted);
    if (missing.length === 0) out(`${what}: all ${required.length} required scopes granted`);
    else {
      failed = true;
      out(`${what}: missing ${missing.length} of ${required.length}: ${missing.join(', ')}`);
    }
  };
  const slack = file.platforms.slack;
  if (env.SLACK_BOT_TOKEN !== undefined && slack !== undefined) {
    try {
      const granted = await slackScopes(env.SLACK_BOT_TOKEN, env.SLACK_API_URL);
      report('Slack bot token', slack.botScopes, granted.bot);
    } catch (error) {
      failed = true;
      out(`Slack: ${(error as Error).message}`);
    }
  } else out('Slack: skipped (no SLACK_BOT_TOKEN or no platforms.slack)');
  const lark = file.platforms.lark;
  if (env.LARK_APP_ID !== undefined && env.LARK_APP_SECRET !== undefined && lark !== undefined) {
    try {
      const granted = await larkScopes(env.LARK_APP_ID, env.LARK_APP_SECRET, env.LARK_DOMAIN);
      report('Lark tenant scopes', lark.tenantScopes, granted.bot);
      report('Lark user scopes', lark.userScopes, granted.user);
    } catch (error) {
      failed = true;
      out(`Lark: ${(error as Error).message}`);
    }
  } else out('Lark: skipped (no LARK_APP_ID/LARK_APP_SECRET or no platforms.lark)');
  return failed ? 1 : 0;
}

/** `teambot permissions check [--file <path>]`. */
export function permissionsCommand(): Command {
  const permissions = new Command('permissions').description(
    'permissions.json: validation and platform scopes',
  );
  permissions
    .command('check')
    .description(
      'validate permissions.json and, with SLACK_BOT_TOKEN / LARK_APP_ID+LARK_APP_SECRET, list the platform scopes the apps lack (exit 1 when any)',
    )
    .option('--file <path>', 'the permissions file (default: PERMISSIONS_FILE)')
    .action(async (flags: { file?: string }) => {
      // Only the variables this check reads: a half-configured platform must not stop a check of its scopes.
      const { PERMISSIONS_FILE, ...env } = readSettings(process.env, [
        'SLACK_BOT_TOKEN',
        'SLACK_API_URL',
        'LARK_APP_ID',
        'LARK_APP_SECRET',
        'LARK_DOMAIN',
        'PERMISSIONS_FILE',
      ]);
      const file = flags.file ?? PERMISSIONS_FILE ?? './permissions.json';
      process.exitCode = await checkPermissions(file, env, (line) => process.stdout.write(`${line}\n`));
    });
  return permissions;
}
