import { afterEach, describe, expect, it } from 'vitest';
import { createLarkAdapter, type LarkAdapter } from '../../../../src/bot/adapters/lark/index.js';
import { createMetrics } from '../../../../src/metrics/registry.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';
import { testBot } from '../../../helpers/bot.js';
import { captureLogger } from '../../../helpers/capture-logger.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { type FakeLark, startFakeLark, waitFor } from '../../../helpers/fake-lark.js';
import { answered, repliesTo } from './answers.js';
import { type FakeLarkWs, startFakeLarkWs } from './fake-ws.js';
import { messageEvent, nextMessageId } from './payloads.js';

const engine = useFakeEngine();
const open: Array<{ close(): Promise<void> } | { stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await ('stop' in item ? item.stop() : item.close());
});

async function connect(fake: FakeLark, extra: { appId?: string; connectTimeoutMs?: number } = {}) {
  const kv = new MemoryKeyValueStore({ prefix: 'lark-ws:' });
  const bot = testBot(kv, engine.engine);
  const log = captureLogger();
  const adapter: LarkAdapter = createLarkAdapter({
    appId: extra.appId ?? fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    mode: 'ws',
    pipeline: bot.pipeline,
    kv,
    logger: log.logger,
    metrics: createMetrics({ defaultMetrics: false }),
    streamIntervalMs: 60,
    connectTimeoutMs: extra.connectTimeoutMs ?? 5_000,
  });
  open.push(kv, { close: () => bot.pipeline.drain(100).then(() => {}) });
  return { adapter, log, bot };
}

async function fakes(): Promise<{ fake: FakeLark; ws: FakeLarkWs }> {
  const fake = await startFakeLark();
  const ws = await startFakeLarkWs();
  fake.setWsUrl(ws.url);
  open.push(fake, ws);
  return { fake, ws };
}

describe('Lark long connection (the SDK WSClient against a local server)', () => {
  it('connects, acks an event before answering it, and answers with a streamed card', async () => {
    engine.fake.setBehavior({ reply: 'Over the long connection.', delayMs: 20 });
    const { fake, ws } = await fakes();
    const { adapter } = await connect(fake);
    await adapter.start();
    open.push(adapter);
    expect(adapter.mode).toBe('ws');
    expect(adapter.routers).toEqual([]);
    expect(ws.connected()).toBe(true);
    expect(fake.callsTo('ws.endpoint')[0]?.body).toMatchObject({ AppID: fake.appId });

    const messageId = nextMessageId();
    const pushedAt = Date.now();
    const frameId = ws.push(messageEvent({ text: 'hello over ws', messageId }));
    const ack = await waitFor(() => ws.ackOf(frameId), 'the ack');
    expect(ack.code).toBe(200);
    expect(ack.at - pushedAt).toBeLessThan(500);
    expect(repliesTo(fake, messageId)).toHaveLength(0);
    await answered(fake, messageId, 'Over the long connection.');
  });

  it('drops a replayed stale message after a reconnect and answers once per event', async () => {
    engine.fake.setBehavior({ reply: 'Fresh.' });
    const { fake, ws } = await fakes();
    const { adapter, log } = await connect(fake);
    await adapter.start();
    open.push(adapter);
    const messageId = nextMessageId();
    const event = messageEvent({ text: 'hi', messageId });
    ws.push(event);
    await answered(fake, messageId, 'Fresh.');
    ws.drop();
    await waitFor(() => ws.connected(), 'the reconnect', 8_000);
    ws.push(event);
    ws.push(messageEvent({ text: 'from long ago', createTime: Date.now() - 40 * 60_000 }));
    await waitFor(() => log.lines.find((l) => l.msg === 'stale Lark message dropped'), 'the stale drop');
    await waitFor(() => log.lines.find((l) => l.msg === 'Lark event already handled'), 'the repeat dropped');
    expect(repliesTo(fake, messageId)).toHaveLength(1);
  });

  it('fails to start with a clear error when the endpoint gives no connection', async () => {
    const fake = await startFakeLark();
    open.push(fake);
    const { adapter } = await connect(fake);
    await expect(adapter.start()).rejects.toThrow(/no WebSocket URL set/);
  });

  it('refuses an app id the SDK would silently ignore', async () => {
    const fake = await startFakeLark();
    open.push(fake);
    await expect(connect(fake, { appId: 'not-an-app-id' })).rejects.toThrow(/cli_ and 16 hex digits/);
  });
});
