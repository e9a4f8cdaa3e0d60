import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../../src/bot/adapters/slack/index.js';
import { UnconfiguredEngine } from '../../../../src/inference/unconfigured.js';
import { createMetrics } from '../../../../src/metrics/registry.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';
import { testBot } from '../../../helpers/bot.js';
import { captureLogger } from '../../../helpers/capture-logger.js';
import { type FakeSlack, startFakeSlack } from '../../../helpers/fake-slack.js';

let fake: FakeSlack | undefined;
const kv = new MemoryKeyValueStore({ prefix: 'a:' });
afterAll(() => kv.close());
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function options(apiUrl: string, token = 'xoxb-test-token') {
  return {
    botToken: token,
    apiUrl,
    pipeline: testBot(kv, new UnconfiguredEngine({})).pipeline,
    kv,
    logger: captureLogger().logger,
    metrics: createMetrics({ defaultMetrics: false }),
  };
}

describe('createSlackAdapter', () => {
  it('needs a signing secret in HTTP mode', () => {
    expect(() => createSlackAdapter(options('http://127.0.0.1:9/api/'))).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('is in HTTP mode with a router, or in Socket Mode without one when an app token is given', () => {
    const http = createSlackAdapter({ ...options('http://127.0.0.1:9/api/'), signingSecret: 's' });
    expect(http.mode).toBe('http');
    expect(typeof http.router).toBe('function');
    const socket = createSlackAdapter({ ...options('http://127.0.0.1:9/api/'), appToken: 'xapp-1' });
    expect(socket.mode).toBe('socket');
    expect(socket.router).toBeUndefined();
  });

  it('checks the bot token at start with a clear error', async () => {
    fake = await startFakeSlack();
    const adapter = createSlackAdapter({ ...options(fake.apiUrl, 'xoxb-wrong'), signingSecret: 's' });
    await expect(adapter.start()).rejects.toThrow(
      'Slack auth.test failed: invalid_auth — SLACK_BOT_TOKEN is not valid',
    );
    const good = createSlackAdapter({ ...options(fake.apiUrl), signingSecret: 's' });
    await expect(good.start()).resolves.toBeUndefined();
    await good.stop();
  });

  it('can be created twice on one metrics registry', () => {
    const shared = options('http://127.0.0.1:9/api/');
    createSlackAdapter({ ...shared, signingSecret: 's' });
    expect(() => createSlackAdapter({ ...shared, signingSecret: 's' })).not.toThrow();
  });
});
