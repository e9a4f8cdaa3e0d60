import { afterEach, describe, expect, it } from 'vitest';
import { RedisKeyValueStore } from '../../../../src/storage/kv/redis.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { type FakeSlack, startFakeSlack, waitFor } from '../../../helpers/fake-slack.js';
import { redisUrlForTests, usePrefixes } from '../../../helpers/redis.js';
import { type Harness, startHarness } from './harness.js';
import { appMention, channelMessage, envelope, nextTs } from './payloads.js';

const engine = useFakeEngine();
const nextPrefix = usePrefixes();
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

/** Two replicas of one Slack app: separate HTTP servers and adapters, one Redis, one Slack. */
async function twoReplicas(): Promise<{ a: Harness; b: Harness; fake: FakeSlack }> {
  const fake = await startFakeSlack();
  const prefix = nextPrefix();
  const kvA = new RedisKeyValueStore({ url: redisUrlForTests(), prefix });
  const kvB = new RedisKeyValueStore({ url: redisUrlForTests(), prefix });
  open.push(fake, kvA, kvB);
  const a = await startHarness({ engine: engine.engine, kv: kvA, fake });
  const b = await startHarness({ engine: engine.engine, kv: kvB, fake });
  open.push(a, b);
  return { a, b, fake };
}

const streamsIn = (fake: FakeSlack, thread: string) =>
  fake.messages.filter((m) => m.threadTs === thread && m.kind === 'stream' && !m.streaming);

describe('Slack on two replicas sharing Redis', () => {
  it('answers once when Slack retries a delivery on the other replica', async () => {
    engine.fake.setBehavior({ reply: 'Once.', delayMs: 50 });
    const { a, b, fake } = await twoReplicas();
    const ts = nextTs();
    const event = envelope(appMention({ text: '<@UBOT> hello?', ts }));
    expect((await a.sendEvent(event)).status).toBe(200);
    const retry = await b.sendEvent(event, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await waitFor(() => streamsIn(fake, ts)[0], 'the answer');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(streamsIn(fake, ts)).toHaveLength(1);
    expect(fake.callsTo('chat.startStream')).toHaveLength(1);
  });

  it('follows a thread mentioned on one replica when the follow-up reaches the other', async () => {
    engine.fake.setBehavior({ reply: 'Sure.' });
    const { a, b, fake } = await twoReplicas();
    const ts = nextTs();
    await a.sendEvent(envelope(appMention({ text: '<@UBOT> first question', ts })));
    await waitFor(() => streamsIn(fake, ts)[0], 'the first answer');
    await b.sendEvent(envelope(channelMessage({ text: 'and a follow-up', threadTs: ts })));
    await waitFor(() => (streamsIn(fake, ts).length === 2 ? true : undefined), 'the follow-up answer');
  });
});
