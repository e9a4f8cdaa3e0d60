import { describe, expect, it } from 'vitest';
import type { CommandRegistry } from '../../../src/bot/commands/registry.js';
import { registerAdminCommands } from '../../../src/bot/permissions/admin/index.js';
import { AuditLog } from '../../../src/bot/permissions/audit.js';
import { BUILT_IN_PERMISSIONS } from '../../../src/bot/permissions/defaults.js';
import { PermissionOverrides } from '../../../src/bot/permissions/overrides.js';
import { PermissionsSource } from '../../../src/bot/permissions/source.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { useFakeEngine } from '../../helpers/fake-engine.js';
import { waitFor as waitForLark } from '../../helpers/fake-lark.js';
import { waitFor as waitForSlack } from '../../helpers/fake-slack.js';
import { repliesTo } from '../adapters/lark/answers.js';
import { startHarness as startLark } from '../adapters/lark/harness.js';
import { messageEvent, nextMessageId } from '../adapters/lark/payloads.js';
import { startHarness as startSlack } from '../adapters/slack/harness.js';
import { slashCommand } from '../adapters/slack/payloads.js';

const engine = useFakeEngine();

/** The admin command on a harness' bot (whose permissions seam makes chat users members). */
function withAdmin(commands: CommandRegistry): void {
  const kv = new MemoryKeyValueStore({ prefix: 'adm:' });
  registerAdminCommands(commands, {
    source: PermissionsSource.fixed(BUILT_IN_PERMISSIONS, captureLogger().logger),
    overrides: new PermissionOverrides(kv),
    audit: new AuditLog(kv),
  });
}

describe('admin commands through the adapters', () => {
  it('Slack: `/teambot admin limits show` reaches the admin command (refused for a member, ephemeral)', async () => {
    const h = await startSlack({ engine: engine.engine });
    try {
      withAdmin(h.bot.commands);
      await h.sendCommand(slashCommand(h.fake, '/teambot', 'admin limits show', 'adm1'));
      const response = await waitForSlack(() => h.fake.responses.find((r) => r.id === 'adm1'), 'a response');
      expect(response.body).toEqual({
        response_type: 'ephemeral',
        text: 'You need the admin:limits scope for /admin limits; your role member does not have it.',
      });
    } finally {
      await h.close();
    }
  });

  it('Lark: `/admin audit` reaches the admin command', async () => {
    const h = await startLark({ engine: engine.engine });
    try {
      withAdmin(h.bot.commands);
      const messageId = nextMessageId();
      await h.sendEvent(messageEvent({ text: '/admin audit', messageId }));
      const reply = await waitForLark(() => repliesTo(h.fake, messageId)[0], 'a reply');
      expect(h.fake.textOf(reply)).toContain('You need the admin:audit scope for /admin audit');
    } finally {
      await h.close();
    }
  });
});
