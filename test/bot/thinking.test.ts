import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/commands/parse.js';
import { THINKING_STATUS } from '../../src/bot/conversation/thinking-stream.js';
import { conversationKey } from '../../src/bot/message.js';
import { RESTART_CHUNK } from '../../src/inference/types.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { testBot } from '../helpers/bot.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';
import { ScriptedEngine } from '../helpers/scripted-engine.js';

/** What a reasoning model streams with thinking on: the template opened <think>, the model closes it. */
const THOUGHT = ['The user asks about ', 'the build.\n</th', 'ink>\n\n', 'It failed ', 'twice.'];

function setup(chunks: string[], thinkingChats: string[] = []) {
  const engine = new ScriptedEngine('local', [{ chunks }]);
  const bot = testBot(new MemoryKeyValueStore({ prefix: 't:' }), engine, { settings: { thinkingChats } });
  return { engine, bot };
}

const ask = (text: string, chat = 'D1') =>
  message({ text, command: parseCommand(text), chat: { id: chat, kind: 'dm' } });

describe('thinking of reasoning models in chat', () => {
  it('is off by default, and an echoed empty <think></think> never reaches the answer', async () => {
    const { engine, bot } = setup(['<think>\n\n</think>\n\n', 'Hello', ' there']);
    const reply = recordingReplier();
    await bot.pipeline.handle(ask('hi'), reply);
    expect(engine.requests[0]?.thinking).toBe(false);
    expect(reply.sent).toEqual([{ kind: 'stream', text: 'Hello there', chunks: ['Hello', ' there'] }]);
  });

  it('/think turns it on for one question: a status line while it thinks, only the answer streamed and remembered', async () => {
    const { engine, bot } = setup(THOUGHT);
    const reply = recordingReplier();
    const asked = ask('/think what happened to the build?');
    await bot.pipeline.handle(asked, reply);
    expect(engine.requests[0]?.thinking).toBe(true);
    expect(engine.requests[0]?.messages.at(-1)?.content).toBe('what happened to the build?');
    // The status line goes out while the model thinks, before the answer's stream opens.
    expect(reply.sent).toEqual([
      { kind: 'notice', text: THINKING_STATUS },
      { kind: 'stream', text: 'It failed twice.', chunks: ['It failed ', 'twice.'] },
    ]);
    const history = await bot.memory.load(conversationKey(asked));
    expect(history.at(-1)).toEqual({ role: 'assistant', content: 'It failed twice.' });
  });

  it('is on for every question in a chat listed in THINKING_CHANNELS, and only there', async () => {
    const { engine, bot } = setup(THOUGHT, ['C-think']);
    const reply = recordingReplier();
    await bot.pipeline.handle(ask('status?', 'C-think'), reply);
    await bot.pipeline.handle(ask('status?', 'C-other'), recordingReplier());
    expect(engine.requests.map((r) => r.thinking)).toEqual([true, false]);
    expect(reply.sent.find((r) => r.kind === 'stream')?.text).toBe('It failed twice.');
  });

  it('posts nothing of an unfinished thought as the answer', async () => {
    const { bot } = setup(['Still thinking when the budget ', 'ran out']);
    const reply = recordingReplier();
    await bot.pipeline.handle(ask('/think a hard one'), reply);
    expect(reply.sent).toEqual([
      { kind: 'notice', text: THINKING_STATUS },
      { kind: 'stream', text: '', chunks: [] },
    ]);
  });
});

describe('thinking and an answer that starts over', () => {
  it('passes RESTART_CHUNK on as its own chunk and starts the thinking over too', async () => {
    // The first attempt died while still thinking (nothing of it shown); the second thinks again, then answers.
    const { bot } = setup(['Half a thought', RESTART_CHUNK, ...THOUGHT], ['D1']);
    const reply = recordingReplier();
    await bot.pipeline.handle(ask('what happened to the build?'), reply);
    const streamed = reply.sent.find((s) => s.kind === 'stream');
    expect(streamed?.chunks?.[0]).toBe(RESTART_CHUNK);
    expect(streamed?.chunks?.slice(1).join('')).toBe('It failed twice.');
  });
});
