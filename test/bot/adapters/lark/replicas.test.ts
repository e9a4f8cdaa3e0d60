import { afterEach, describe, expect, it } from 'vitest';
import { RedisKeyValueStore } from '../../../../src/storage/kv/redis.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { type FakeLark, startFakeLark } from '../../../helpers/fake-lark.js';
import { redisUrlForTests, usePrefixes } from '../../../helpers/redis.js';
import { answered, repliesTo } from './answers.js';
import { type Harness, startHarness } from './harness.js';
import { messageEvent, nextMessageId } from './payloads.js';

const engine = useFakeEngine();
const nextPrefix = usePrefixes();
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

/** Two replicas of one Lark app: separate HTTP servers and adapters, one Redis, one Lark. */
async function twoReplicas(): Promise<{ a: Harness; b: Harness; fake: FakeLark }> {
  const fake = await startFakeLark();
  const prefix = nextPrefix();
  const kvA = new RedisKeyValueStore({ url: redisUrlForTests(), prefix });
  const kvB = new RedisKeyValueStore({ url: redisUrlForTests(), prefix });
  open.push(fake, kvA, kvB);
  const a = await startHarness({ engine: engine.engine, kv: kvA, fake });
  const b = await startHarness({ engine: engine.engine, kv: kvB, fake });
  open.push(a, b);
  return { a, b, fake };
}

describe('Lark on two replicas sharing Redis', () => {
  it('answers once when Lark retries a delivery on the other replica', async () => {
    engine.fake.setBehavior({ reply: 'Once.', delayMs: 30 });
    const { a, b, fake } = await twoReplicas();
    const messageId = nextMessageId();
    const event = messageEvent({ text: 'hello?', messageId });
    const [first, retry] = await Promise.all([a.sendEvent(event), b.sendEvent(event)]);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    await answered(fake, messageId, 'Once.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesTo(fake, messageId)).toHaveLength(1);
    expect(fake.callsTo('cardkit.card.create')).toHaveLength(1);
  });

  it('answers once when the message comes again under another event id on the other replica', async () => {
    engine.fake.setBehavior({ reply: 'Still once.' });
    const { a, b, fake } = await twoReplicas();
    const messageId = nextMessageId();
    await a.sendEvent(messageEvent({ text: 'hi', messageId }));
    await b.sendEvent(messageEvent({ text: 'hi', messageId }));
    await answered(fake, messageId, 'Still once.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesTo(fake, messageId)).toHaveLength(1);
  });
});
