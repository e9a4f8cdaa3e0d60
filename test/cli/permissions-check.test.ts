import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPermissions } from '../../src/cli/permissions/check.js';
import { permissionsFile, writePermissions } from '../bot/permissions/harness.js';
import { runCli } from '../helpers/cli-process.js';

const servers: Server[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, value: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

/** A fake Slack Web API whose auth.test reports `scopes` for the right token. */
function fakeSlack(scopes: string[]): Promise<string> {
  return serve((req, res) => {
    if (req.url !== '/api/auth.test') return json(res, { ok: false, error: 'unknown_method' });
    if (req.headers.authorization !== 'Bearer xoxb-test')
      return json(res, { ok: false, error: 'invalid_auth' });
    json(res, { ok: true, team_id: 'T1', user_id: 'UBOT' }, { 'x-oauth-scopes': scopes.join(',') });
  });
}

/** A fake Lark OpenAPI: a tenant token for the right app, then its scopes with grant_status. */
function fakeLark(
  scopes: Array<{ scope_name: string; grant_status: number; scope_type: string }>,
): Promise<string> {
  return serve((req, res, body) => {
    if (req.url === '/open-apis/auth/v3/tenant_access_token/internal') {
      const { app_id, app_secret } = JSON.parse(body) as { app_id: string; app_secret: string };
      if (app_id !== 'cli_test' || app_secret !== 'secret')
        return json(res, { code: 10014, msg: 'app secret invalid' });
      return json(res, { code: 0, msg: 'ok', tenant_access_token: 't-abc', expire: 7200 });
    }
    if (req.url === '/open-apis/application/v6/scopes' && req.headers.authorization === 'Bearer t-abc') {
      return json(res, { code: 0, msg: 'success', data: { scopes } });
    }
    json(res, { code: 99991663, msg: 'invalid token' });
  });
}

/** In-process, as the CLI action runs it (the CLI itself is run by the other tests). */
async function checkHere(file: string, env: Record<string, string>) {
  const lines: string[] = [];
  const code = await checkPermissions(file, env, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

async function check(file: string, env: Record<string, string>) {
  const cli = runCli(['permissions', 'check', '--file', file], env);
  const code = await cli.exited;
  return { code, out: cli.stdout(), err: cli.stderr() };
}

const platforms = {
  slack: { botScopes: ['chat:write', 'im:history', 'commands'] },
  lark: { tenantScopes: ['im:message', 'im:resource'], userScopes: ['contact:user.base:readonly'] },
};

describe('teambot permissions check', () => {
  it('lists the invalid file problems with their paths and exits 1', { timeout: 60_000 }, async () => {
    const written = await writePermissions(
      permissionsFile({ defaultRole: 'nobody', access: { dmPolicy: 'x' } }),
    );
    cleanups.push(written.cleanup);
    const { code, out } = await check(written.file, {});
    expect(code).toBe(1);
    expect(out).toContain('defaultRole: unknown role "nobody"');
    expect(out).toContain('access.dmPolicy: expected open, assigned or closed');
  });

  it('compares the required scopes with local fake Slack and Lark APIs', async () => {
    const written = await writePermissions(permissionsFile({ platforms }));
    cleanups.push(written.cleanup);
    const slack = await fakeSlack(['chat:write', 'commands']);
    const lark = await fakeLark([
      { scope_name: 'im:message', grant_status: 1, scope_type: 'tenant' },
      { scope_name: 'im:resource', grant_status: 0, scope_type: 'tenant' },
      { scope_name: 'contact:user.base:readonly', grant_status: 1, scope_type: 'user' },
    ]);
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: `${slack}/api/`,
      LARK_APP_ID: 'cli_test',
      LARK_APP_SECRET: 'secret',
      LARK_DOMAIN: lark,
    };
    const missing = await checkHere(written.file, env);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('valid (3 roles, default member)');
    expect(missing.out).toContain('Slack bot token: missing 1 of 3: im:history');
    expect(missing.out).toContain('Lark tenant scopes: missing 1 of 2: im:resource');
    expect(missing.out).toContain('Lark user scopes: all 1 required scopes granted');

    const complete = await writePermissions(
      permissionsFile({
        platforms: { slack: { botScopes: ['chat:write'] }, lark: { tenantScopes: ['im:message'] } },
      }),
    );
    cleanups.push(complete.cleanup);
    const ok = await checkHere(complete.file, env);
    expect(ok.out).toContain('Slack bot token: all 1 required scopes granted');
    expect(ok.code).toBe(0);

    const bad = await checkHere(complete.file, {
      ...env,
      SLACK_BOT_TOKEN: 'xoxb-wrong',
      LARK_APP_SECRET: 'nope',
    });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('Slack: Slack auth.test failed: invalid_auth');
    expect(bad.out).toContain('Lark: Lark tenant token failed: app secret invalid (code 10014)');
  });

  it("validates the repository's file without credentials (the CLI, with fake APIs: exit 1 on a missing scope)", {
    timeout: 60_000,
  }, async () => {
    const { code, out } = await check('permissions.json', {});
    expect(out).toContain('permissions.json: valid');
    expect(out).toContain('Slack: skipped');
    expect(code).toBe(0);
    const slack = await fakeSlack(['chat:write']);
    const missing = await check('permissions.json', {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: `${slack}/api/`,
    });
    expect(missing.out).toMatch(/Slack bot token: missing 11 of 12: app_mentions:read, im:history/);
    expect(missing.code).toBe(1);
  });
});
