import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/bot/message.js';
import { RedisKeyValueStore } from '../../src/storage/kv/redis.js';
import { testBot } from '../helpers/bot.js';
import { useFakeEngine } from '../helpers/fake-engine.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';
import { redisUrlForTests, usePrefixes } from '../helpers/redis.js';

const env = useFakeEngine();

describe('two replicas sharing one real Redis', () => {
  const prefix = usePrefixes();

  async function replicas(count: number) {
    const shared = prefix();
    const stores = Array.from(
      { length: count },
      () => new RedisKeyValueStore({ url: redisUrlForTests(), prefix: shared }),
    );
    return {
      bots: stores.map((kv) => testBot(kv, env.engine)),
      close: () => Promise.all(stores.map((s) => s.close())),
    };
  }

  it('answer a duplicate delivery of the same message id once', async () => {
    const { bots, close } = await replicas(2);
    const [a, b] = bots;
    if (a === undefined || b === undefined) throw new Error('two bots expected');
    const replyA = recordingReplier();
    const replyB = recordingReplier();
    const requestsBefore = env.fake.requests.length;
    for (let round = 0; round < 5; round += 1) {
      const delivery = message({ text: `question ${round}` });
      // The platform delivers the same event to both replicas at once (a retry racing the original).
      await Promise.all([a.pipeline.handle(delivery, replyA), b.pipeline.handle({ ...delivery }, replyB)]);
    }
    await close();
    const answers = [...replyA.sent, ...replyB.sent].map((r) => r.text).sort();
    expect(answers).toEqual([0, 1, 2, 3, 4].map((n) => `Echo: question ${n}`));
    expect(env.fake.requests.length - requestsBefore).toBe(5);
    const duplicates = [...a.metrics.seen, ...b.metrics.seen].filter((s) => s === 'dedup/duplicate');
    expect(duplicates).toHaveLength(5);
  });

  it('share conversation memory, and /reset on one clears it for both', async () => {
    const { bots, close } = await replicas(2);
    const [a, b] = bots;
    if (a === undefined || b === undefined) throw new Error('two bots expected');
    const reply = recordingReplier();
    const thread = { chat: { id: 'C1', kind: 'channel' as const }, thread: '100.1' };
    await a.pipeline.handle(message({ ...thread, text: 'my name is Ada' }), reply);
    await b.pipeline.handle(message({ ...thread, text: 'what is my name?' }), reply);
    const second = env.fake.requests.at(-1)?.body as { messages: Array<{ role: string; content: string }> };
    expect(second.messages.map((m) => m.content)).toEqual([
      'You are a test bot.',
      'my name is Ada',
      'Echo: my name is Ada',
      'what is my name?',
    ]);
    const key = conversationKey(message(thread));
    expect(await a.memory.load(key)).toHaveLength(4);
    await b.pipeline.handle(
      message({ ...thread, text: '/reset', command: { name: 'reset', args: '' } }),
      reply,
    );
    expect(await a.memory.load(key)).toEqual([]);
    await close();
  });
});
