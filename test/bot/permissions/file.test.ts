import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PermissionsFileError } from '../../../src/bot/permissions/errors.js';
import { loadPermissions, parsePermissions } from '../../../src/bot/permissions/load.js';
import { PermissionsSource } from '../../../src/bot/permissions/source.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { permissionsFile, writePermissions } from './harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function problems(text: string): Array<{ path: string; message: string }> {
  try {
    parsePermissions('p.json', text);
  } catch (error) {
    if (error instanceof PermissionsFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('permissions.json', () => {
  it("the repository's file is valid and keeps the Slack and Lark scope lists", async () => {
    const file = await loadPermissions('permissions.json');
    expect(file.defaultRole).toBe('member');
    expect(file.roles.member?.limits.requests).toEqual(['20/minute', '300/day']);
    expect(file.platforms.slack?.botScopes).toContain('chat:write');
    expect(file.platforms.lark?.tenantScopes).toEqual(
      expect.arrayContaining([
        'contact:user.base:readonly',
        'im:message',
        'im:message:send_as_bot',
        'im:resource',
      ]),
    );
    expect(file.platforms.lark?.userScopes).toEqual(['im:message', 'contact:user.base:readonly']);
  });

  it('lists every problem with its JSON path', () => {
    const bad = permissionsFile({
      defaultRole: 'nobody',
      roles: {
        member: {
          scopes: ['chat:ask', 'chat:shout'],
          limits: { requests: ['20/minute', 'lots'], concurrent: 0 },
        },
      },
      users: { 'slack:U1': 'boss', U2: 'member' },
      access: { dmPolicy: 'sometimes' },
      extra: true,
    });
    expect(problems(JSON.stringify(bad))).toEqual(
      expect.arrayContaining([
        { path: 'roles.member.scopes[1]', message: expect.stringContaining('expected one of chat:ask') },
        {
          path: 'roles.member.limits.requests[1]',
          message: expect.stringContaining('expected <n>/<window>'),
        },
        { path: 'roles.member.limits.concurrent', message: 'expected at least 1' },
        { path: 'users.U2', message: expect.stringContaining('expected <platform>:<user id>') },
        { path: 'access.dmPolicy', message: 'expected open, assigned or closed' },
        { path: '', message: expect.stringContaining('extra') },
      ]),
    );
    const roleProblems = problems(
      JSON.stringify(permissionsFile({ defaultRole: 'nobody', users: { 'slack:U1': 'boss' } })),
    );
    expect(roleProblems).toEqual([
      { path: 'defaultRole', message: 'unknown role "nobody"' },
      { path: 'users["slack:U1"]', message: 'unknown role "boss"' },
    ]);
  });

  it('refuses text that is not JSON, naming the file', () => {
    expect(() => parsePermissions('p.json', '{ "roles": ')).toThrow(
      /p\.json is invalid:\n {2}\(file\): not valid JSON/,
    );
  });

  it('reloads on change and on SIGHUP, and keeps the old config when the new one is invalid', async () => {
    const written = await writePermissions(permissionsFile());
    cleanups.push(written.cleanup);
    const log = captureLogger();
    const source = await PermissionsSource.open({ file: written.file, logger: log.logger, debounceMs: 50 });
    cleanups.push(async () => source.close());
    expect(source.current().defaultRole).toBe('member');

    await writeFile(written.file, JSON.stringify(permissionsFile({ defaultRole: 'guest' })));
    await expect.poll(() => source.current().defaultRole, { timeout: 5_000 }).toBe('guest');

    await writeFile(written.file, '{ "defaultRole": 42 }');
    await expect.poll(() => log.at('error').length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(source.current().defaultRole).toBe('guest');
    expect(log.at('error')[0]?.problems).toEqual(
      expect.arrayContaining([{ path: 'defaultRole', message: expect.any(String) }]),
    );

    source.close();
    const startup = await PermissionsSource.open({
      file: written.file,
      logger: log.logger,
      watch: false,
    }).catch((e: unknown) => e);
    expect(startup).toBeInstanceOf(PermissionsFileError);
    await writeFile(written.file, JSON.stringify(permissionsFile({ defaultRole: 'admin' })));
    const hup = await PermissionsSource.open({
      file: written.file,
      logger: log.logger,
      watch: false,
    });
    cleanups.push(async () => hup.close());
    await writeFile(written.file, JSON.stringify(permissionsFile({ defaultRole: 'member' })));
    process.kill(process.pid, 'SIGHUP');
    await expect.poll(() => hup.current().defaultRole, { timeout: 5_000 }).toBe('member');
  });
});

describe('permissions.schema.json', () => {
  it('is up to date with the zod schema (npm run schema:permissions)', async () => {
    const { permissionsJsonSchema } = await import('../../../src/bot/permissions/json-schema.js');
    const committed = JSON.parse(readFileSync('permissions.schema.json', 'utf8')) as unknown;
    expect(committed).toEqual(permissionsJsonSchema());
  });
});
