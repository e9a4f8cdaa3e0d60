import { describe, expect, it } from 'vitest';
import { ConversationMemory } from '../../src/bot/conversation/memory.js';
import { conversationKey } from '../../src/bot/message.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { message } from '../helpers/messages.js';

const store = () => new MemoryKeyValueStore({ prefix: 'm:' });

describe('ConversationMemory', () => {
  it('keeps question/answer pairs oldest first, bounded to maxTurns exchanges', async () => {
    const memory = new ConversationMemory({ kv: store(), maxTurns: 2, ttlMs: 60_000 });
    for (const n of [1, 2, 3]) await memory.append('c', `q${n}`, `a${n}`);
    expect(await memory.load('c')).toEqual([
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a2' },
      { role: 'user', content: 'q3' },
      { role: 'assistant', content: 'a3' },
    ]);
  });

  it('forgets a conversation after its TTL', async () => {
    const memory = new ConversationMemory({ kv: store(), maxTurns: 5, ttlMs: 60 });
    await memory.append('c', 'q', 'a');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await memory.load('c')).toEqual([]);
  });

  it('keeps nothing when maxTurns is 0', async () => {
    const memory = new ConversationMemory({ kv: store(), maxTurns: 0, ttlMs: 60_000 });
    await memory.append('c', 'q', 'a');
    expect(await memory.load('c')).toEqual([]);
  });

  it('skips corrupt entries instead of failing', async () => {
    const kv = store();
    const memory = new ConversationMemory({ kv, maxTurns: 5, ttlMs: 60_000 });
    await kv.listPush('conv:c', [
      'not json',
      '{"role":"tool","content":"x"}',
      '{"role":"user","content":"ok"}',
    ]);
    expect(await memory.load('c')).toEqual([{ role: 'user', content: 'ok' }]);
  });

  it('keys DMs by chat and channel threads by thread', () => {
    const dm = message({ chat: { id: 'D1', kind: 'dm' } });
    const thread = message({ chat: { id: 'C1', kind: 'channel' }, thread: '171.2' });
    expect(conversationKey(dm)).toBe('slack:T1:D1:-');
    expect(conversationKey(thread)).toBe('slack:T1:C1:171.2');
  });
});
