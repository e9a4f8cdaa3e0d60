import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../../src/bot/adapters/slack/index.js';
import { createMetrics } from '../../../../src/metrics/registry.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';
import { testBot } from '../../../helpers/bot.js';
import { captureLogger } from '../../../helpers/capture-logger.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { type FakeSlack, startFakeSlack, waitFor } from '../../../helpers/fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from './fake-socket.js';
import { appMention, envelope, nextTs, slashCommand } from './payloads.js';

const engine = useFakeEngine();
let fake: FakeSlack;
let socket: FakeSocketMode;
let adapter: SlackAdapter;
const kv = new MemoryKeyValueStore({ prefix: 'sm:' });

afterAll(() => kv.close());
afterEach(async () => {
  await adapter.stop();
  await socket.close();
  await fake.close();
});

describe('Slack Socket Mode', () => {
  it('connects with the app token, acks envelopes and answers events and commands', async () => {
    engine.fake.setBehavior({ reply: 'Over the socket.' });
    fake = await startFakeSlack();
    socket = await startFakeSocketMode();
    fake.setSocketUrl(socket.url);
    const bot = testBot(kv, engine.engine);
    // The first message is accepted only when `accept` is called: its envelope's ack waits for that.
    let accept: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      accept = resolve;
    });
    const order: string[] = [];
    adapter = createSlackAdapter({
      botToken: fake.token,
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
      pipeline: {
        ...bot.pipeline,
        handle: async (message, reply) => {
          if (message.text === 'hello') {
            await gate;
            order.push('accepted');
          }
          return bot.pipeline.handle(message, reply);
        },
      },
      kv,
      logger: captureLogger().logger,
      metrics: createMetrics({ defaultMetrics: false }),
    });
    expect(adapter.mode).toBe('socket');
    await adapter.start();
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
    expect(socket.connected()).toBe(true);

    const ts = nextTs();
    socket.push({
      envelope_id: 'env-1',
      type: 'events_api',
      payload: envelope(appMention({ text: '<@UBOT> hello', ts })),
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.received.find((m) => m.envelope_id === 'env-1')).toBeUndefined();
    accept();
    await waitFor(() => socket.received.find((m) => m.envelope_id === 'env-1'), 'the ack');
    order.push('acked');
    expect(order).toEqual(['accepted', 'acked']);
    const answer = await waitFor(
      () => fake.messages.find((m) => m.threadTs === ts && m.kind === 'stream' && !m.streaming),
      'the answer',
    );
    expect(answer.text).toBe('Over the socket.');

    socket.push({
      envelope_id: 'env-2',
      type: 'slash_commands',
      payload: slashCommand(fake, '/ask', 'anything?', 'sm1'),
      accepts_response_payload: true,
    });
    const ack = await waitFor(
      () => socket.received.find((m) => m.envelope_id === 'env-2'),
      'the command ack',
    );
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: '_Thinking…_' });
    const reply = await waitFor(() => fake.responses.find((r) => r.id === 'sm1'), 'the command answer');
    expect(reply.body).toEqual({ response_type: 'in_channel', text: 'Over the socket.' });

    await adapter.stop();
    await waitFor(() => !socket.connected(), 'the socket closed');
  });
});
