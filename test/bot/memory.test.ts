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

  it('drops old exchanges a quarter of maxTurns at a time, so the history start moves rarely', async () => {
    const memory = new ConversationMemory({ kv: store(), maxTurns: 8, ttlMs: 60_000 });
    const firsts: string[] = [];
    for (let n = 1; n <= 20; n++) {
      await memory.append('c', `q${n}`, `a${n}`);
      const turns = await memory.load('c');
      expect(turns.length / 2).toBeLessThanOrEqual(8);
      expect(turns.length / 2).toBeGreaterThanOrEqual(Math.min(n, 8 - 2 + 1));
      expect(turns.at(-1)).toEqual({ role: 'assistant', content: `a${n}` });
      firsts.push(turns[0]?.content ?? '');
    }
    // Chunks of 2 exchanges: the first kept question is q1 up to 8 turns, then q3, q5, ... (odd ones).
    expect([...new Set(firsts)]).toEqual(['q1', 'q3', 'q5', 'q7', 'q9', 'q11', 'q13']);
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
