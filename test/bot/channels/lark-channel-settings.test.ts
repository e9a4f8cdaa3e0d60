import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/bot/permissions/audit.js';
import { ChainEngine } from '../../../src/inference/chain/engine.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import { type FakeLarkMessage, waitFor } from '../../helpers/fake-lark.js';
import { ScriptedEngine } from '../../helpers/scripted-engine.js';
import { isFinished, repliesTo } from '../adapters/lark/answers.js';
import { type Harness, startHarness } from '../adapters/lark/harness.js';
import { botMention, GROUP_CHAT, messageEvent, nextMessageId, USER } from '../adapters/lark/payloads.js';
import { permissionedBot, permissionsFile, writePermissions } from '../permissions/harness.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The Lark adapter in front of a bot with the real permissions stage (USER is an admin). */
async function setUp(fileExtra: Record<string, unknown> = {}) {
  // Both think first (thinking is on where these answer): the chat sees the answer only.
  const local = new ScriptedEngine('local', [{ chunks: ['pondering', '</think>', 'From local.'] }]);
  const remote = new ScriptedEngine('remote', [{ chunks: ['pondering', '</think>', 'From remote.'] }]);
  const engine = new ChainEngine({
    backends: [
      { name: 'local', engine: local },
      { name: 'remote', engine: remote },
    ],
  });
  const written = await writePermissions(
    permissionsFile({ users: { [`lark:${USER}`]: 'admin' }, ...fileExtra }),
  );
  const kv = new MemoryKeyValueStore({ prefix: 'channels:' });
  const pb = await permissionedBot({ file: written.file, kv, engine });
  const h: Harness = await startHarness({
    engine,
    kv,
    pipeline: () => pb.bot.pipeline,
    adapter: {
      mentionRequired: async (chat) => (await pb.permissions.channels.forChat(chat)).mentionRequired,
    },
  });
  cleanups.push(
    written.cleanup,
    () => kv.close(),
    () => pb.permissions.close(),
    () => h.close(),
  );
  return { h, local, remote, kv };
}

/** Sends a group message (mentioning the bot unless told not to); resolves with its id. */
async function say(h: Harness, text: string, mention = true): Promise<string> {
  const messageId = nextMessageId();
  const event = messageEvent({
    text: mention ? `@_user_1 ${text}` : text,
    messageId,
    chatType: 'group',
    chatId: GROUP_CHAT,
    mentions: mention ? [botMention] : [],
  });
  expect((await h.sendEvent(event)).status).toBe(200);
  return messageId;
}

/** Waits for a finished reply to `messageId` showing `text` (a "thinking" status line may come first). */
const answeredWith = (h: Harness, messageId: string, text: string) =>
  waitFor(
    () => repliesTo(h.fake, messageId).find((m) => h.fake.textOf(m) === text && isFinished(h.fake, m)),
    `the answer to ${messageId}`,
  );

const replyText = async (h: Harness, messageId: string) =>
  h.fake.textOf(await waitFor(() => repliesTo(h.fake, messageId)[0], `the reply to ${messageId}`));

describe('per-channel settings through the Lark adapter', () => {
  it('applies the mention rule, system prompt, backend and thinking an admin sets, and audits each change', async () => {
    const { h, local, remote, kv } = await setUp();

    // By default a group message that does not mention the bot gets no answer.
    const ignored = await say(h, 'anyone?', false);
    await waitFor(() => h.log.lines.find((l) => l.msg === 'Lark message not for the bot'), 'ignored');
    expect(repliesTo(h.fake, ignored)).toEqual([]);

    expect(await replyText(h, await say(h, '/admin channel set mention off'))).toContain(
      'mention: not required',
    );
    expect(await replyText(h, await say(h, '/admin channel set prompt You are a pirate.'))).toContain(
      'prompt: You are a pirate.',
    );
    await replyText(h, await say(h, '/admin channel set thinking on'));
    await replyText(h, await say(h, '/admin channel set backend remote'));

    // Now an unmentioned group message is answered, by the chosen backend, with the channel's prompt.
    const asked = await say(h, 'what is the weather', false);
    await answeredWith(h, asked, 'From remote.');
    const request = remote.requests.at(-1);
    expect(request?.messages[0]).toEqual({ role: 'system', content: 'You are a pirate.' });
    expect(request?.thinking).toBe(true);
    expect(request?.backend).toBe('remote');
    expect(local.requests).toEqual([]);
    // While the model thought, a status line stood in for silence; it was recalled once the answer came.
    await waitFor(() => h.fake.recalled.find((m) => m.replyTo === asked), 'the status line recalled');
    expect(h.fake.textOf(h.fake.recalled.find((m) => m.replyTo === asked) as FakeLarkMessage)).toContain(
      'Thinking it through',
    );
    expect(repliesTo(h.fake, asked).map((m) => h.fake.textOf(m))).toEqual(['From remote.']);

    // /settings shows them; the audit log has each change with who made it.
    const shown = await replyText(h, await say(h, '/settings'));
    expect(shown).toContain(`Settings of lark:${GROUP_CHAT}:`);
    expect(shown).toContain('thinking: on');
    expect(shown).toContain('backend: remote');
    const audit = await new AuditLog(kv).recent(10);
    expect(audit.map((e) => e.action)).toEqual([
      'channel set backend',
      'channel set thinking',
      'channel set prompt',
      'channel set mention',
    ]);
    expect(audit[0]).toMatchObject({
      by: `lark:${USER}`,
      target: `lark:${GROUP_CHAT}`,
      before: { mentionRequired: false, systemPrompt: 'You are a pirate.', thinking: true },
      after: { mentionRequired: false, systemPrompt: 'You are a pirate.', thinking: true, backend: 'remote' },
    });

    // Reset goes back to permissions.json: a mention is needed again.
    await replyText(h, await say(h, '/admin channel reset'));
    const again = await say(h, 'still there?', false);
    await waitFor(
      () => h.log.lines.filter((l) => l.msg === 'Lark message not for the bot').length >= 2 || undefined,
      'ignored again',
    );
    expect(repliesTo(h.fake, again)).toEqual([]);
  });

  it('takes defaults from permissions.json and refuses a bad value with a clear message', async () => {
    const { h, local } = await setUp({
      channelDefaults: { systemPrompt: 'Be brief.', burst: 'merge' },
      chats: {
        [`lark:${GROUP_CHAT}`]: {
          thinking: true,
          suggestedPrompts: [{ title: 'Summarize', message: 'Summarize this thread' }],
        },
      },
    });
    const asked = await say(h, 'hello');
    await answeredWith(h, asked, 'From local.');
    expect(local.requests.at(-1)?.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(local.requests.at(-1)?.thinking).toBe(true);
    const shown = await replyText(h, await say(h, '/settings'));
    expect(shown).toContain('burst: merge');
    expect(shown).toContain('prompts: Summarize this thread');
    expect(await replyText(h, await say(h, '/admin channel set burst sometimes'))).toMatch(
      /Not a valid burst: expected one of queue, merge, interrupt/,
    );
  });
});
