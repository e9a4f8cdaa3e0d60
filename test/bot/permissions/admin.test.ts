import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/bot/message.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import { RedisKeyValueStore } from '../../../src/storage/kv/redis.js';
import type { KeyValueStore } from '../../../src/storage/kv/types.js';
import { useFakeEngine } from '../../helpers/fake-engine.js';
import { message } from '../../helpers/messages.js';
import { recordingReplier } from '../../helpers/recording-replier.js';
import { redisUrlForTests, usePrefixes } from '../../helpers/redis.js';
import { type PermissionedBot, permissionedBot, permissionsFile, writePermissions } from './harness.js';

const env = useFakeEngine();
const prefix = usePrefixes();
const run = promisify(execFile);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(kv: KeyValueStore = new MemoryKeyValueStore({ prefix: 't:' })) {
  const written = await writePermissions(permissionsFile());
  cleanups.push(written.cleanup);
  const p = await permissionedBot({ file: written.file, kv, engine: env.engine });
  cleanups.push(() => p.permissions.close());
  return { p, file: written.file };
}

const ADMIN = { id: 'UADMIN', name: 'Root' };

/** Sends `/admin <args>` (as both adapters deliver it: the command named admin) and returns what was said. */
async function admin(
  p: PermissionedBot,
  args: string,
  user: { id: string; name?: string } = ADMIN,
  extra: Partial<InboundMessage> = {},
) {
  const reply = recordingReplier();
  await p.bot.pipeline.handle(
    message({ text: `/admin ${args}`, command: { name: 'admin', args }, user, ...extra }),
    reply,
  );
  return reply.sent.map((r) => r.text).join('\n');
}

async function ask(p: PermissionedBot, user: { id: string }, text = 'hi') {
  const reply = recordingReplier();
  await p.bot.pipeline.handle(message({ text, user }), reply);
  return reply.sent[0];
}

describe('admin commands', () => {
  it('a non-admin is refused every admin command, clearly, and nothing changes', async () => {
    const { p } = await setup();
    const member = { id: 'U5' };
    const cases: Array<[string, string]> = [
      ['scopes list U5', 'admin:scopes'],
      ['scopes grant U5 admin:audit', 'admin:scopes'],
      ['scopes revoke U6 chat:ask', 'admin:scopes'],
      ['role set U5 admin', 'admin:scopes'],
      ['limits show', 'admin:limits'],
      ['limits set member 100/minute', 'admin:limits'],
      ['audit', 'admin:audit'],
    ];
    for (const [args, scope] of cases) {
      expect(await admin(p, args, member)).toBe(
        `You need the ${scope} scope for /admin ${args.split(' ')[0]}; your role member does not have it.`,
      );
    }
    expect(await admin(p, '', member)).toBe('Only admins may use /admin.');
    expect(await admin(p, 'audit')).toBe('No admin changes recorded yet.');
    expect((await ask(p, { id: 'U6' }))?.kind).toBe('stream');
  });

  it('scopes grant/revoke/list change what a user may do at once, and each change is audited', async () => {
    const { p } = await setup();
    expect(await admin(p, 'scopes list')).toContain('• guest: (none)');
    expect((await ask(p, { id: 'UG' }))?.kind).toBe('stream');
    expect(await admin(p, 'scopes revoke UG chat:ask')).toContain('Revoked chat:ask from slack:UG.');
    expect(await ask(p, { id: 'UG' })).toEqual({
      kind: 'notice',
      text: "You don't have permission to ask me questions here (scope chat:ask).",
    });
    expect(await admin(p, 'scopes grant UG chat:ask')).toContain('Granted chat:ask to slack:UG.');
    expect((await ask(p, { id: 'UG' }))?.kind).toBe('stream');
    expect(await admin(p, 'scopes grant slack:UG admin:audit')).toContain('scopes: admin:audit, chat:ask');
    expect(await admin(p, 'audit', { id: 'UG', name: 'G' })).toContain('admin changes');
    expect(await admin(p, 'scopes list UG')).toContain('granted: admin:audit, chat:ask');
    expect(await admin(p, 'scopes grant UG chat:shout')).toMatch(/^Unknown scope chat:shout/);
    expect(await admin(p, 'scopes grant UG')).toMatch(/^Usage: admin scopes list/);
    const audit = await admin(p, 'audit 2');
    expect(audit).toMatch(
      /^The last 2 admin changes:\n• \S+Z slack:UADMIN \(Root\): scopes grant admin:audit slack:UG: /,
    );
    expect(audit).toContain('"grant":["chat:ask"]');
    expect(audit).toContain('"grant":["admin:audit","chat:ask"]');
  });

  it('role set and limits set/show take effect at once and are audited', async () => {
    const { p } = await setup();
    expect(await admin(p, 'role set U7 guest')).toBe('slack:U7 now has role guest.');
    expect((await ask(p, { id: 'U7' }))?.kind).toBe('notice');
    expect(await admin(p, 'role set U7 boss')).toMatch(/^Unknown role boss/);
    expect(await admin(p, 'role set U7 default')).toBe(
      'slack:U7 now has role member (from permissions.json).',
    );
    expect((await ask(p, { id: 'U7' }))?.kind).toBe('stream');

    expect(await admin(p, 'limits show member')).toBe(
      'member:\n  requests: 3/minute\n  tokensPerDay: unlimited\n  concurrent: unlimited',
    );
    expect(await admin(p, 'limits set member 1/minute')).toContain('requests: 1/minute (set by an admin)');
    expect(await admin(p, 'limits set member 100/day')).toContain(
      'requests: 1/minute, 100/day (set by an admin)',
    );
    expect(await admin(p, 'limits set member concurrent 2')).toContain('concurrent: 2 (set by an admin)');
    expect(await admin(p, 'limits set member lots')).toMatch(/^Expected <n>\/<window>/);
    expect((await ask(p, { id: 'U8' }))?.kind).toBe('stream');
    expect((await ask(p, { id: 'U8' }))?.text).toMatch(
      /^You are sending messages too fast\. Try again in about \d+ s\.$/,
    );
    expect(await admin(p, 'limits reset member')).toBe(
      'Limits back to permissions.json.\nmember:\n  requests: 3/minute\n  tokensPerDay: unlimited\n  concurrent: unlimited',
    );
    const audit = await admin(p, 'audit 10');
    expect(audit).toContain('limits reset role member');
    expect(audit).toContain('limits set role member');
    expect(audit).toContain('role set slack:U7: "guest" → null');
  });

  it('Slack `/teambot admin …` and Lark `/admin …` reach the same command', async () => {
    const { p } = await setup();
    const { parseSlashCommand } = await import('../../../src/bot/adapters/slack/inbound/command.js');
    const { parseLarkCommand } = await import('../../../src/bot/adapters/lark/format/commands.js');
    const slack = parseSlashCommand('/teambot', 'admin limits show guest');
    const lark = parseLarkCommand('/admin limits show guest');
    expect(slack).toEqual({ name: 'admin', args: 'limits show guest' });
    expect(lark).toEqual(slack);
    const reply = recordingReplier();
    await p.bot.pipeline.handle(
      message({ platform: 'lark', user: { id: 'ou_x' }, text: '/admin limits show guest', command: lark }),
      reply,
    );
    expect(reply.sent[0]?.text).toContain('You need the admin:limits scope');
  });

  it('overrides stored in Redis are visible to a second process at once', async () => {
    const shared = prefix();
    const kv = new RedisKeyValueStore({ url: redisUrlForTests(), prefix: shared });
    cleanups.push(() => kv.close());
    const { p, file } = await setup(kv);
    await admin(p, 'role set U9 admin');
    await admin(p, 'scopes revoke U9 media:upload');
    await admin(p, 'limits set admin 7/minute');
    const child = new URL('./child-resolve.ts', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      child,
      file,
      redisUrlForTests(),
      shared,
      'U9',
    ]);
    expect(JSON.parse(stdout)).toEqual({
      role: 'admin',
      scopes: ['admin:audit', 'admin:limits', 'admin:scopes', 'chat:ask', 'media:read'],
      limits: { requests: ['7/minute'] },
    });
  });
});
