import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/commands/parse.js';
import { CommandRegistry } from '../../src/bot/commands/registry.js';
import { conversationKey } from '../../src/bot/message.js';
import { UnconfiguredEngine } from '../../src/inference/unconfigured.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { testBot } from '../helpers/bot.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';

function command(text: string, overrides: Parameters<typeof message>[0] = {}) {
  return message({ text, command: parseCommand(text), ...overrides });
}

function bot() {
  return testBot(new MemoryKeyValueStore({ prefix: 't:' }), new UnconfiguredEngine({}));
}

describe('parseCommand', () => {
  it('splits name and arguments, case-insensitive names', () => {
    expect(parseCommand('/ask  what is  2+2 ')).toEqual({ name: 'ask', args: 'what is  2+2' });
    expect(parseCommand('/HELP')).toEqual({ name: 'help', args: '' });
    expect(parseCommand('  /reset\n')).toEqual({ name: 'reset', args: '' });
    expect(parseCommand('/ask line one\nline two')).toEqual({ name: 'ask', args: 'line one\nline two' });
  });

  it('is not fooled by paths and plain text', () => {
    expect(parseCommand('hello /help')).toBeUndefined();
    expect(parseCommand('/usr/bin/env')).toBeUndefined();
    expect(parseCommand('/')).toBeUndefined();
    expect(parseCommand('')).toBeUndefined();
  });
});

describe('CommandRegistry', () => {
  it('refuses a name or alias registered twice', () => {
    const registry = new CommandRegistry().register({
      name: 'a',
      aliases: ['x'],
      summary: 's',
      run: async () => {},
    });
    expect(() => registry.register({ name: 'x', summary: 's', run: async () => {} })).toThrow(
      '/x is registered twice',
    );
    expect(() => registry.register({ name: 'b', aliases: ['A'], summary: 's', run: async () => {} })).toThrow(
      '/a is registered twice',
    );
  });

  it('finds commands by alias, and later features can add their own', async () => {
    const b = bot();
    const ran: string[] = [];
    b.commands.register({
      name: 'limits',
      aliases: ['限额'],
      summary: 'show your limits',
      run: async (_c, args) => void ran.push(args),
    });
    const reply = recordingReplier();
    await b.pipeline.handle(command('/限额 today'), reply);
    expect(ran).toEqual(['today']);
    await b.pipeline.handle(command('/help'), reply);
    expect(reply.sent.at(-1)?.text).toContain('• /limits: show your limits');
  });
});

describe('built-in commands', () => {
  it('/help lists every command with its usage', async () => {
    const b = bot();
    const reply = recordingReplier();
    await b.pipeline.handle(command('/help'), reply);
    expect(reply.sent).toHaveLength(1);
    const text = reply.sent[0]?.text ?? '';
    for (const line of [
      '/help: list the commands',
      '/reset: forget this conversation',
      '/ask <question>: ask a question',
      '/whoami:',
    ]) {
      expect(text).toContain(line);
    }
  });

  it('an unknown command gets a hint, not an error', async () => {
    const b = bot();
    const reply = recordingReplier();
    await b.pipeline.handle(command('/frobnicate now'), reply);
    expect(reply.sent).toEqual([
      { kind: 'notice', text: 'Unknown command /frobnicate. Send /help for the list.' },
    ]);
    expect(b.log.at('error')).toEqual([]);
  });

  it('/ask without a question explains the usage; with one it asks the engine', async () => {
    const b = bot();
    const reply = recordingReplier();
    await b.pipeline.handle(command('/ask'), reply);
    expect(reply.sent.at(-1)?.text).toBe('Usage: /ask <question>');
    await b.pipeline.handle(command('/ask why?'), reply);
    // No engine configured: the answer says exactly what to set.
    expect(reply.sent.at(-1)?.text).toMatch(
      /^No inference engine is configured: the local engine is off \(MODEL=none\)\./,
    );
  });

  it('/whoami shows the platform identity and role', async () => {
    const b = bot();
    const reply = recordingReplier();
    await b.pipeline.handle(command('/whoami', { user: { id: 'U7', name: 'Lin' } }), reply);
    expect(reply.sent[0]).toEqual({
      kind: 'notice',
      text: 'You are Lin (U7) on slack, workspace T1.\nRole: member.\nScopes: chat:ask, media:read, media:upload.\nChat: dm D1.',
    });
    await b.pipeline.handle(command('/whoami', { platform: 'local', trustedAdmin: true }), reply);
    expect(reply.sent[1]?.text).toContain('Role: admin.');
  });

  it('/reset forgets only the conversation it was sent in', async () => {
    const b = bot();
    const here = message({ chat: { id: 'C1', kind: 'channel' }, thread: '1.1' });
    const elsewhere = message({ chat: { id: 'C1', kind: 'channel' }, thread: '2.2' });
    await b.memory.append(conversationKey(here), 'q', 'a');
    await b.memory.append(conversationKey(elsewhere), 'q2', 'a2');
    const reply = recordingReplier();
    await b.pipeline.handle(command('/reset', { chat: here.chat, thread: here.thread }), reply);
    expect(reply.sent[0]?.text).toBe('Done: I have forgotten this conversation.');
    expect(await b.memory.load(conversationKey(here))).toEqual([]);
    expect(await b.memory.load(conversationKey(elsewhere))).toHaveLength(2);
  });
});
