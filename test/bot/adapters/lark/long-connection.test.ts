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

async function connect(
  fake: FakeLark,
  extra: { appId?: string; connectTimeoutMs?: number; silentAfterMs?: number; replaceAfterMs?: number } = {},
) {
  const kv = new MemoryKeyValueStore({ prefix: 'lark-ws:' });
  const bot = testBot(kv, engine.engine);
  const log = captureLogger();
  const metrics = createMetrics({ defaultMetrics: false });
  const adapter: LarkAdapter = createLarkAdapter({
    appId: extra.appId ?? fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    mode: 'ws',
    pipeline: bot.pipeline,
    kv,
    logger: log.logger,
    metrics,
    streamIntervalMs: 60,
    connectTimeoutMs: extra.connectTimeoutMs ?? 5_000,
    ...(extra.silentAfterMs === undefined ? {} : { silentAfterMs: extra.silentAfterMs }),
    ...(extra.replaceAfterMs === undefined ? {} : { replaceAfterMs: extra.replaceAfterMs }),
  });
  open.push(kv, { close: () => bot.pipeline.drain(100).then(() => {}) });
  return { adapter, log, bot, metrics };
}

async function fakes(pingIntervalS = 120): Promise<{ fake: FakeLark; ws: FakeLarkWs }> {
  const fake = await startFakeLark();
  const ws = await startFakeLarkWs({ pingIntervalS });
  fake.setWsUrl(ws.url, pingIntervalS);
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
    await waitFor(() => log.lines.find((l) => l.msg === 'stale Lark event dropped'), 'the stale drop');
    await waitFor(() => log.lines.find((l) => l.msg === 'Lark event already handled'), 'the repeat dropped');
    expect(repliesTo(fake, messageId)).toHaveLength(1);
  });

  it('replaces a connection that went silent (no pong, no frame) and drops stale replays after it', async () => {
    engine.fake.setBehavior({ reply: 'Still here.' });
    // Lark's client pings every PingInterval (2 s here); 1.5 s without an answer and it is dead (a
    // shorter window can cut a healthy connection too when a busy test machine stalls the loop). The
    // SDK re-arms its watchdog at each ping, so the window must be shorter than the interval.
    const { fake, ws } = await fakes(2);
    const { adapter, log, metrics } = await connect(fake, { silentAfterMs: 1_500 });
    await adapter.start();
    open.push(adapter);
    expect(adapter.readiness()).toMatchObject({ ok: true });
    await waitFor(() => ws.pongs() > 0 || undefined, 'a ping answered');
    const metricText = () => metrics.registry.metrics();
    expect(await metricText()).toContain('teambot_lark_connection_up 1');

    ws.silence();
    // The liveness watchdog cuts it (the socket itself never closes); the client reconnects at once,
    // so the gauge's 0 lasts too short to poll for: the watchdog's own line says it was cut.
    await waitFor(
      () => log.lines.some((l) => JSON.stringify(l).includes('no pong/inbound within 1.5s')),
      'the dead connection noticed',
      10_000,
    );
    await waitFor(
      () => (ws.connections() >= 2 && ws.connected() ? true : undefined),
      'a new connection',
      8_000,
    );
    await waitFor(
      async () => ((await metricText()).includes('teambot_lark_connection_up 1') ? true : undefined),
      'up again',
    );
    await waitFor(() => (adapter.readiness().ok ? true : undefined), 'ready again');

    // Events Lark replays after the reconnect that are older than the window are dropped and counted.
    const replayed = messageEvent({ text: 'from before the outage', createTime: Date.now() - 31 * 60_000 });
    ws.push(replayed);
    const messageId = nextMessageId();
    ws.push(messageEvent({ text: 'are you there?', messageId }));
    await answered(fake, messageId, 'Still here.');
    await waitFor(() => log.lines.find((l) => l.msg === 'stale Lark event dropped'), 'the stale drop');
    expect(await metricText()).toContain('teambot_lark_stale_events_total{type="im.message.receive_v1"} 1');
    expect(engine.fake.requests.at(-1)?.body).not.toMatchObject({
      messages: expect.arrayContaining([expect.objectContaining({ content: 'from before the outage' })]),
    });
  });

  it('replaces a client that stays down, and says so in readiness until it is back', async () => {
    const { fake, ws } = await fakes();
    const { adapter, metrics } = await connect(fake, { replaceAfterMs: 300 });
    await adapter.start();
    open.push(adapter);
    // The endpoint stops handing out a URL: the SDK's own reconnects fail, the client is replaced.
    fake.setWsUrl('');
    ws.drop();
    await waitFor(() => (adapter.readiness().ok ? undefined : true), 'not ready');
    expect(adapter.readiness().detail).toMatch(/long connection down/);
    await waitFor(
      async () =>
        (await metrics.registry.metrics()).match(
          /teambot_lark_connection_replaced_total\{reason="(gave_up|down_too_long)"\} [1-9]/,
        )
          ? true
          : undefined,
      'the client replaced',
      8_000,
    );
    fake.setWsUrl(ws.url);
    await waitFor(() => (adapter.readiness().ok ? true : undefined), 'ready again', 8_000);
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
