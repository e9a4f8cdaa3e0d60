import { describe, expect, it } from 'vitest';
import { suggestedPromptsFrom } from '../../../src/bot/assistant/suggested-prompts.js';
import { BUILT_IN_PERMISSIONS } from '../../../src/bot/permissions/defaults.js';
import { permissionsSchema } from '../../../src/bot/permissions/schema.js';
import { channelsOver } from '../../helpers/channels.js';

const prompt = (title: string) => ({ title, message: `${title}:` });
const fallback = [prompt('default')];

describe('suggestedPromptsFrom', () => {
  const file = permissionsSchema.parse({
    ...BUILT_IN_PERMISSIONS,
    suggestedPrompts: [prompt('file')],
    workspaces: { 'slack:T1': { suggestedPrompts: [prompt('workspace')] } },
    chats: { 'slack:C1': { suggestedPrompts: [prompt('chat')] } },
  });
  const channels = channelsOver(() => file);
  const resolve = suggestedPromptsFrom(() => file, channels, fallback);

  it('takes the chat’s, then the workspace’s, then the file’s prompts', async () => {
    expect(await resolve('slack', 'T1', 'C1')).toEqual([prompt('chat')]);
    expect(await resolve('slack', 'T1', 'C2')).toEqual([prompt('workspace')]);
    expect(await resolve('slack', 'T2', 'C2')).toEqual([prompt('file')]);
    expect(await resolve('lark', 'T1', 'C1')).toEqual([prompt('file')]);
  });

  it('takes an admin’s prompts for the chat before permissions.json’s', async () => {
    await channels.store.set({ platform: 'slack', chat: 'C1' }, { suggestedPrompts: [prompt('admin')] });
    expect(await resolve('slack', 'T1', 'C1')).toEqual([prompt('admin')]);
    await channels.store.set({ platform: 'slack', chat: 'C1' }, {});
    expect(await resolve('slack', 'T1', 'C1')).toEqual([prompt('chat')]);
  });

  it('falls back to the app’s defaults when the file sets none', async () => {
    const none = () => BUILT_IN_PERMISSIONS;
    expect(await suggestedPromptsFrom(none, channelsOver(none), fallback)('slack', 'T1', 'C1')).toEqual(
      fallback,
    );
  });

  it('refuses more than four prompts, or an empty title, with the JSON path', () => {
    const five = Array.from({ length: 5 }, (_, i) => prompt(`p${i}`));
    const tooMany = permissionsSchema.safeParse({
      ...BUILT_IN_PERMISSIONS,
      chats: { 'slack:C1': { suggestedPrompts: five } },
    });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0]?.path).toEqual(['chats', 'slack:C1', 'suggestedPrompts']);
    const empty = permissionsSchema.safeParse({
      ...BUILT_IN_PERMISSIONS,
      suggestedPrompts: [{ title: '', message: 'x' }],
    });
    expect(empty.success).toBe(false);
  });
});
