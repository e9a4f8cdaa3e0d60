import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLarkAdapter } from '../../../../src/bot/adapters/lark/index.js';
import { createMetrics } from '../../../../src/metrics/registry.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';
import { testBot } from '../../../helpers/bot.js';
import { captureLogger } from '../../../helpers/capture-logger.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { encryptAndSign, encryptEvent, signBody } from '../../../helpers/lark-crypto.js';
import { answered } from './answers.js';
import { ENCRYPT_KEY, type Harness, startHarness } from './harness.js';
import { messageEvent, nextMessageId } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;

beforeEach(async () => {
  engine.fake.setBehavior({ reply: 'Verified.' });
  h = await startHarness({ engine: engine.engine });
});
afterEach(() => h.close());

async function rejected(reason: string): Promise<number> {
  const metric = await h.metrics.registry.getSingleMetric('teambot_lark_rejected_requests_total')?.get();
  return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

/** Nothing reached the bot, the engine or Lark's send APIs. */
async function nothingHappened(requestsBefore: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(h.bot.metrics.seen).toEqual([]);
  expect(engine.fake.requests.length).toBe(requestsBefore);
  expect(h.fake.messages).toEqual([]);
}

describe('Lark webhook verification', () => {
  it('refuses a wrong verification token with 403, counts it, and never reaches the bot', async () => {
    const requestsBefore = engine.fake.requests.length;
    const event = messageEvent({ text: 'hi' });
    event.header.token = 'not-the-token';
    const response = await h.sendEvent(event);
    expect(response.status).toBe(403);
    expect(await rejected('bad_token')).toBe(1);
    await nothingHappened(requestsBefore);
  });

  it('refuses a bad signature with 401 and counts it', async () => {
    const requestsBefore = engine.fake.requests.length;
    const body = JSON.stringify(encryptEvent(ENCRYPT_KEY, messageEvent({ text: 'hi' })));
    const forged = signBody('not-the-encrypt-key', body);
    const response = await h.post('/lark/events', forged.body, forged.headers);
    expect(response.status).toBe(401);
    expect(await rejected('bad_signature')).toBe(1);
    await nothingHappened(requestsBefore);
  });

  it('refuses a body changed after signing', async () => {
    const signed = encryptAndSign(ENCRYPT_KEY, messageEvent({ text: 'hi' }));
    const other = JSON.stringify(encryptEvent(ENCRYPT_KEY, messageEvent({ text: 'changed' })));
    const response = await h.post('/lark/events', other, signed.headers);
    expect(response.status).toBe(401);
    expect(await rejected('bad_signature')).toBe(1);
  });

  it('refuses an unsigned event, a plaintext body and one that does not decrypt', async () => {
    const requestsBefore = engine.fake.requests.length;
    const headers = { 'content-type': 'application/json' };
    const unsigned = JSON.stringify(encryptEvent(ENCRYPT_KEY, messageEvent({ text: 'hi' })));
    expect((await h.post('/lark/events', unsigned, headers)).status).toBe(401);
    expect(await rejected('missing_signature')).toBe(1);
    const plain = signBody(ENCRYPT_KEY, JSON.stringify(messageEvent({ text: 'hi' })));
    expect((await h.post('/lark/events', plain.body, plain.headers)).status).toBe(400);
    expect(await rejected('not_encrypted')).toBe(1);
    const garbage = signBody(
      ENCRYPT_KEY,
      JSON.stringify(encryptEvent('another-key', messageEvent({ text: 'hi' }))),
    );
    expect((await h.post('/lark/events', garbage.body, garbage.headers)).status).toBe(400);
    expect(await rejected('decrypt_failed')).toBe(1);
    await nothingHappened(requestsBefore);
  });

  it('checks /lark/cards the same way', async () => {
    const forged = signBody(
      'not-the-encrypt-key',
      JSON.stringify(encryptEvent(ENCRYPT_KEY, { schema: '2.0' })),
    );
    expect((await h.post('/lark/cards', forged.body, forged.headers)).status).toBe(401);
    expect(await rejected('bad_signature')).toBe(1);
  });

  it('works with a verification token alone (no encrypt key): plaintext events, token checked', async () => {
    await h.close();
    h = await startHarness({ engine: engine.engine, adapter: { encryptKey: undefined } });
    const headers = { 'content-type': 'application/json' };
    const challenge = { challenge: 'c1', token: 'test-verification-token', type: 'url_verification' };
    expect(JSON.parse((await h.post('/lark/events', JSON.stringify(challenge), headers)).body)).toEqual({
      challenge: 'c1',
    });
    const wrong = { ...challenge, token: 'nope' };
    expect((await h.post('/lark/events', JSON.stringify(wrong), headers)).status).toBe(403);
    const messageId = nextMessageId();
    const response = await h.post(
      '/lark/events',
      JSON.stringify(messageEvent({ text: 'plain', messageId })),
      headers,
    );
    expect(response.status).toBe(200);
    await answered(h.fake, messageId, 'Verified.');
  });

  it('will not start a webhook without an encrypt key or a verification token', () => {
    const kv = new MemoryKeyValueStore();
    expect(() =>
      createLarkAdapter({
        appId: 'cli_a1b2c3d4e5f60718',
        appSecret: 's',
        mode: 'webhook',
        pipeline: testBot(kv, engine.engine).pipeline,
        kv,
        logger: captureLogger().logger,
        metrics: createMetrics({ defaultMetrics: false }),
      }),
    ).toThrow(/LARK_ENCRYPT_KEY or LARK_VERIFICATION_TOKEN/);
    void kv.close();
  });
});
