import { afterEach, describe, expect, it } from 'vitest';
import { startRedisServer } from '../../../bench/limits/redis-server.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import { useFakeEngine } from '../../helpers/fake-engine.js';
import { message } from '../../helpers/messages.js';
import { recordingReplier } from '../../helpers/recording-replier.js';
import { permissionedBot, permissionsFile, writePermissions } from '../permissions/harness.js';

const env = useFakeEngine();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A bot on a permissions file with `overrides`, a memory KV store and the fake engine; closed after the test. */
async function botWith(
  overrides: Record<string, unknown>,
  options: { redisUrl?: string; prefix?: string; failMode?: 'open' | 'closed' } = {},
) {
  const written = await writePermissions(permissionsFile(overrides));
  cleanups.push(written.cleanup);
  const p = await permissionedBot({
    file: written.file,
    kv: new MemoryKeyValueStore({ prefix: 't:' }),
    engine: env.engine,
    ...options,
  });
  cleanups.push(() => p.permissions.close());
  return p;
}

describe('rate-limit stage', () => {
  it('answers up to the limit, then tells the sender when to try again, per user', async () => {
    env.fake.setBehavior({});
    const p = await botWith({});
    const reply = recordingReplier();
    for (let i = 0; i < 4; i += 1) await p.bot.pipeline.handle(message({ text: `q${i}` }), reply);
    expect(reply.sent.map((r) => r.kind)).toEqual(['stream', 'stream', 'stream', 'notice']);
    expect(reply.sent[3]?.text).toMatch(/^You are sending messages too fast\. Try again in about 20 s\.$/);
    expect(p.metrics.seen).toContain('ratelimit/limited_requests');
    // Another user, and commands that do not generate, are not affected.
    await p.bot.pipeline.handle(message({ text: 'mine', user: { id: 'U2' } }), reply);
    await p.bot.pipeline.handle(message({ text: '/whoami', command: { name: 'whoami', args: '' } }), reply);
    expect(reply.sent.slice(4).map((r) => r.kind)).toEqual(['stream', 'notice']);
    expect(reply.sent[5]?.text).toContain('Role: member.');
    await p.bot.pipeline.handle(message({ text: '/limits', command: { name: 'limits', args: '' } }), reply);
    expect(reply.sent[6]?.text).toContain('You: 3/minute, 0 left.');
  });

  it('accepts a refused message before its notice goes out (the platform ack does not wait for it)', async () => {
    env.fake.setBehavior({});
    const p = await botWith({});
    const reply = recordingReplier();
    for (let i = 0; i < 3; i += 1) await p.bot.pipeline.handle(message({ text: `q${i}` }), reply);
    const events: string[] = [];
    let release: () => void = () => {};
    const slowNotice = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = {
      ...reply,
      async notice(text: string) {
        events.push('notice started');
        await slowNotice;
        events.push(`notice sent: ${text}`);
      },
    };
    const handled = p.bot.pipeline.handle(
      message({ text: 'one too many', accepted: () => events.push('accepted') }),
      slow,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(['accepted', 'notice started']);
    release();
    await handled;
    expect(events[2]).toMatch(/^notice sent: You are sending messages too fast/);
    expect(p.metrics.seen).toContain('ratelimit/limited_requests');
  });

  it('limits a whole chat with its own windows, whoever sends', async () => {
    env.fake.setBehavior({});
    const p = await botWith({
      chatLimits: ['50/minute'],
      chats: { 'slack:CBUSY': { limits: ['2/minute'] } },
    });
    const reply = recordingReplier();
    const inChat = (chat: string, user: string) =>
      message({ chat: { id: chat, kind: 'channel' }, mentionsBot: true, user: { id: user } });
    for (const user of ['UA', 'UB', 'UC']) await p.bot.pipeline.handle(inChat('CBUSY', user), reply);
    await p.bot.pipeline.handle(inChat('CQUIET', 'UC'), reply);
    expect(reply.sent.map((r) => r.kind)).toEqual(['stream', 'stream', 'notice', 'stream']);
    expect(reply.sent[2]?.text).toBe('This chat is sending me too many messages. Try again in about 30 s.');
    expect(p.metrics.seen).toContain('ratelimit/limited_chat');
  });

  it('tells Lark users in Chinese and English', async () => {
    const p = await botWith({});
    const reply = recordingReplier();
    for (let i = 0; i < 4; i += 1)
      await p.bot.pipeline.handle(
        message({ platform: 'lark', text: `问题 ${i}`, user: { id: 'ou_1' } }),
        reply,
      );
    expect(reply.sent[3]?.text).toMatch(
      /^你发消息太快了，请约 20 秒后再试。\nYou are sending messages too fast/,
    );
  });

  it('charges generated tokens to the daily budget and stops at it; /limits shows what is left', async () => {
    env.fake.setBehavior({});
    const p = await botWith({
      roles: {
        member: { scopes: ['chat:ask'], limits: { requests: [], tokensPerDay: 5 } },
      },
      users: {},
    });
    const reply = recordingReplier();
    // The fake model counts three completion tokens for "Echo: a b c".
    await p.bot.pipeline.handle(message({ text: 'a b c' }), reply);
    await p.bot.pipeline.handle(message({ text: '/limits', command: { name: 'limits', args: '' } }), reply);
    expect(reply.sent[1]?.text).toBe('Role: member.\nScopes: chat:ask.\nTokens today: 2 of 5 left.');
    await p.bot.pipeline.handle(message({ text: 'd e f' }), reply);
    await p.bot.pipeline.handle(message({ text: 'again' }), reply);
    expect(reply.sent.map((r) => r.kind)).toEqual(['stream', 'notice', 'stream', 'notice']);
    expect(reply.sent[3]?.text).toMatch(
      /^You have used today's answer budget\. Try again in about \d+ (min|h)\.$/,
    );
  });

  it('allows at most N generations in flight per user', async () => {
    env.fake.setBehavior({ delayMs: 300 });
    const p = await botWith({
      roles: { member: { scopes: ['chat:ask'], limits: { concurrent: 1 } } },
      users: {},
    });
    const reply = recordingReplier();
    await Promise.all([
      p.bot.pipeline.handle(message({ text: 'slow one' }), reply),
      p.bot.pipeline.handle(message({ text: 'slow two' }), reply),
    ]);
    expect(reply.sent.map((r) => r.kind).sort()).toEqual(['notice', 'stream']);
    expect(reply.sent.find((r) => r.kind === 'notice')?.text).toContain('answers in progress');
    env.fake.setBehavior({});
    await p.bot.pipeline.handle(message({ text: 'after' }), reply);
    expect(reply.sent[2]?.kind).toBe('stream');
  });

  for (const failMode of ['open', 'closed'] as const) {
    it(`Redis stopped mid-test: fails ${failMode}, logged and counted in /metrics`, async () => {
      env.fake.setBehavior({});
      const redis = await startRedisServer();
      cleanups.push(() => redis.stop());
      const p = await botWith({}, { redisUrl: redis.url, prefix: 'fail:', failMode });
      const reply = recordingReplier();
      await p.bot.pipeline.handle(message({ text: 'before' }), reply);
      expect(reply.sent[0]?.kind).toBe('stream');
      await redis.stop();
      await p.bot.pipeline.handle(message({ text: 'during' }), reply);
      if (failMode === 'open') expect(reply.sent[1]?.kind).toBe('stream');
      else
        expect(reply.sent[1]).toEqual({
          kind: 'notice',
          text: 'I cannot check usage limits right now. Try again in a minute.',
        });
      expect(p.metrics.seen).toContain(`ratelimit/unavailable_${failMode}`);
      expect(
        p.log.at('warn').some((l) => l.msg === 'rate limiter unavailable' && l.failMode === failMode),
      ).toBe(true);
      const { body } = await p.registry.render();
      expect(body).toContain(`teambot_ratelimit_unavailable_total{mode="${failMode}"} 1`);
    });
  }
});
