import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/bot/message.js';
import { hasScope } from '../../../src/bot/pipeline/context.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import { useFakeEngine } from '../../helpers/fake-engine.js';
import { message } from '../../helpers/messages.js';
import { recordingReplier } from '../../helpers/recording-replier.js';
import { type PermissionedBot, permissionedBot, permissionsFile, writePermissions } from './harness.js';

const env = useFakeEngine();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function botWith(overrides: Record<string, unknown>): Promise<PermissionedBot> {
  const written = await writePermissions(permissionsFile(overrides));
  cleanups.push(written.cleanup);
  const p = await permissionedBot({
    file: written.file,
    kv: new MemoryKeyValueStore({ prefix: 't:' }),
    engine: env.engine,
  });
  cleanups.push(() => p.permissions.close());
  return p;
}

async function send(p: PermissionedBot, overrides: Partial<InboundMessage>) {
  const reply = recordingReplier();
  await p.bot.pipeline.handle(message(overrides), reply);
  return reply.sent.map((r) => `${r.kind}:${r.text.split('\n')[0]}`);
}

const group = (id: string, extra: Partial<InboundMessage> = {}): Partial<InboundMessage> => ({
  chat: { id, kind: 'channel' },
  mentionsBot: true,
  ...extra,
});

describe('access-control stage', () => {
  it('sets ctx.role and ctx.scopes from the file; hasScope reads them', async () => {
    const p = await botWith({ chats: { 'slack:CGUEST': { role: 'guest' } } });
    const seen: Array<{ role: string; upload: boolean; ask: boolean }> = [];
    p.bot.commands.register({
      name: 'probe',
      summary: 'test',
      run: async (ctx) => {
        seen.push({ role: ctx.role, upload: hasScope(ctx, 'media:upload'), ask: hasScope(ctx, 'chat:ask') });
      },
    });
    const probe = { text: '/probe', command: { name: 'probe', args: '' } };
    await send(p, probe);
    await send(p, { ...probe, user: { id: 'UADMIN' } });
    await send(p, { ...group('CGUEST'), ...probe });
    await send(p, { ...group('CGUEST'), ...probe, user: { id: 'UADMIN' } });
    await send(p, { ...probe, platform: 'local', user: { id: 'me' }, trustedAdmin: true });
    expect(seen).toEqual([
      { role: 'member', upload: true, ask: true },
      { role: 'admin', upload: true, ask: true },
      { role: 'guest', upload: false, ask: false },
      { role: 'admin', upload: true, ask: true },
      { role: 'admin', upload: true, ask: true },
    ]);
  });

  it('denies chats on the deny list or off the allow list, silently', async () => {
    const p = await botWith({
      access: { denyChats: ['slack:CBAD'], allowChats: ['slack:COK', 'slack:CBAD'] },
    });
    expect(await send(p, group('COK'))).toEqual(['stream:Echo: hello']);
    expect(await send(p, group('CBAD'))).toEqual([]);
    expect(await send(p, group('COTHER'))).toEqual([]);
    expect(p.metrics.seen.filter((s) => s === 'permissions/denied_chat')).toHaveLength(2);
  });

  it('follows the DM policy', async () => {
    const closed = await botWith({ access: { dmPolicy: 'closed' } });
    expect(await send(closed, {})).toEqual([
      'notice:I do not answer direct messages here; ask me in a channel.',
    ]);
    expect(await send(closed, { platform: 'local', trustedAdmin: true })).toEqual(['stream:Echo: hello']);
    const assigned = await botWith({ access: { dmPolicy: 'assigned' } });
    expect(await send(assigned, {})).toEqual([
      'notice:Direct messages are only for listed users; ask me in a channel.',
    ]);
    expect(await send(assigned, { user: { id: 'UADMIN' } })).toEqual(['stream:Echo: hello']);
  });

  it('needs a mention in groups when configured; thread follow-ups count as addressed', async () => {
    const p = await botWith({});
    expect(await send(p, group('C1', { mentionsBot: false }))).toEqual([]);
    expect(await send(p, group('C1', { mentionsBot: false, thread: '1.2' }))).toEqual(['stream:Echo: hello']);
    expect(p.metrics.seen).toContain('permissions/no_mention');
    const open = await botWith({ access: { groupsNeedMention: false } });
    expect(await send(open, group('C1', { mentionsBot: false }))).toEqual(['stream:Echo: hello']);
  });

  it('refuses questions without chat:ask but still answers other commands', async () => {
    const p = await botWith({ defaultRole: 'guest' });
    expect(await send(p, {})).toEqual([
      "notice:You don't have permission to ask me questions here (scope chat:ask).",
    ]);
    expect(await send(p, { text: '/ask why', command: { name: 'ask', args: 'why' } })).toEqual([
      "notice:You don't have permission to ask me questions here (scope chat:ask).",
    ]);
    expect(await send(p, { text: '/whoami', command: { name: 'whoami', args: '' } })).toEqual([
      'notice:You are Ada (U1) on slack, workspace T1.',
    ]);
  });
});
