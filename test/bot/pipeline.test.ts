import { describe, expect, it } from 'vitest';
import { MEDIA_NOT_CONFIGURED } from '../../src/bot/media/handler.js';
import type { Middleware } from '../../src/bot/pipeline/compose.js';
import { RESTARTING_NOTICE } from '../../src/bot/pipeline/pipeline.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { RedisKeyValueStore } from '../../src/storage/kv/redis.js';
import { testBot } from '../helpers/bot.js';
import { useFakeEngine } from '../helpers/fake-engine.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';

const env = useFakeEngine();

const kv = () => new MemoryKeyValueStore({ prefix: 'test:' });

describe('pipeline', () => {
  it('streams an answer to a text message through every stage in order', async () => {
    env.fake.setBehavior({});
    const bot = testBot(kv(), env.engine);
    const reply = recordingReplier();
    await bot.pipeline.handle(message({ text: 'how are you' }), reply);
    expect(reply.sent).toHaveLength(1);
    expect(reply.sent[0]?.kind).toBe('stream');
    expect(reply.sent[0]?.text).toBe('Echo: how are you');
    expect(reply.sent[0]?.chunks?.length).toBeGreaterThan(1);
    expect(bot.metrics.seen).toEqual([
      'dedup/passed',
      'permissions/passed',
      'ratelimit/passed',
      'route/text',
    ]);
  });

  it('answers a duplicate delivery of the same message id once', async () => {
    const bot = testBot(kv(), env.engine);
    const reply = recordingReplier();
    const first = message({ text: 'once please' });
    await Promise.all([bot.pipeline.handle(first, reply), bot.pipeline.handle({ ...first }, reply)]);
    await bot.pipeline.handle({ ...first }, reply);
    expect(reply.sent.map((r) => r.text)).toEqual(['Echo: once please']);
    expect(bot.metrics.seen.filter((s) => s === 'dedup/duplicate')).toHaveLength(2);
  });

  it('treats the same id on another platform or workspace as another message', async () => {
    const bot = testBot(kv(), env.engine);
    const reply = recordingReplier();
    const base = message({ text: 'x' });
    await bot.pipeline.handle(base, reply);
    await bot.pipeline.handle({ ...base, workspace: 'T2' }, reply);
    await bot.pipeline.handle({ ...base, platform: 'lark' }, reply);
    expect(reply.sent).toHaveLength(3);
  });

  it('a middleware that throws gives one logged error with context, one short reply, and the next message is served', async () => {
    let calls = 0;
    const flaky: Middleware = async (ctx, next) => {
      calls += 1;
      if (calls === 1) throw new Error('database on fire');
      ctx.role = 'member';
      await next();
    };
    const bot = testBot(kv(), env.engine, { permissions: flaky });
    const reply = recordingReplier();
    const bad = message({
      text: 'first',
      user: { id: 'U42', name: 'Grace' },
      chat: { id: 'C9', kind: 'channel' },
      thread: '171.5',
    });
    await expect(bot.pipeline.handle(bad, reply)).resolves.toBeUndefined();

    const errors = bot.log.at('error');
    expect(errors).toHaveLength(1);
    const logged = errors[0] ?? {};
    expect(logged).toMatchObject({
      messageId: bad.id,
      platform: 'slack',
      workspace: 'T1',
      chat: 'channel:C9',
      thread: '171.5',
      user: 'U42',
      code: 'internal',
      msg: 'message handling failed',
    });
    expect(logged.err).toMatchObject({ message: 'database on fire' });
    expect(logged.errorId).toMatch(/^[0-9a-f]{8}$/);
    expect(reply.sent).toEqual([
      {
        kind: 'notice',
        text: `Sorry, something went wrong on my side. Please try again; if it keeps happening, tell an admin the error id. (error ${String(logged.errorId)})`,
      },
    ]);
    expect(JSON.stringify(bot.log.lines)).not.toContain('first'); // the text itself is never logged

    await bot.pipeline.handle(message({ text: 'second' }), reply);
    expect(reply.sent.at(-1)?.text).toBe('Echo: second');
    expect(bot.log.at('error')).toHaveLength(1);
  });

  it('keeps going when telling the user about an error fails too', async () => {
    const boom: Middleware = async () => {
      throw new Error('boom');
    };
    const bot = testBot(kv(), env.engine, { permissions: boom });
    const reply = recordingReplier();
    reply.notice = async () => {
      throw new Error('platform down');
    };
    await expect(bot.pipeline.handle(message(), reply)).resolves.toBeUndefined();
    expect(bot.log.at('error')).toHaveLength(1);
    expect(bot.log.at('warn')[0]?.msg).toBe('could not tell the user about the error');
  });

  it('answers (without history) when the KV store is unreachable, and says so in the log', async () => {
    const unreachable = new RedisKeyValueStore({
      url: 'redis://127.0.0.1:1',
      prefix: 'x:',
      connectTimeoutMs: 500,
    });
    const bot = testBot(unreachable, env.engine);
    const reply = recordingReplier();
    await bot.pipeline.handle(message({ text: 'still here' }), reply);
    await unreachable.close();
    expect(reply.sent.at(-1)?.text).toBe('Echo: still here');
    expect(bot.metrics.seen[0]).toBe('dedup/store_error');
    expect(bot.log.at('warn').map((l) => l.msg)).toEqual([
      'dedup check failed; processing the message anyway',
      'conversation history unavailable; answering without it',
      'could not remember this exchange',
    ]);
    expect(JSON.stringify(bot.log.at('warn')[0]?.err)).toContain('127.0.0.1:1');
  });

  it('maps env.engine failures to a short, specific message', async () => {
    env.fake.setBehavior({ error: { status: 503, message: 'overloaded' } });
    const bot = testBot(kv(), env.engine);
    const reply = recordingReplier();
    await bot.pipeline.handle(message({ text: 'hi' }), reply);
    env.fake.setBehavior({});
    expect(reply.sent.at(-1)?.text).toMatch(
      /^The model is unavailable right now\. Please try again shortly\. \(error [0-9a-f]{8}\)$/,
    );
    expect(bot.log.at('error')[0]?.code).toBe('engine_upstream');
  });

  it('an empty message gets no answer', async () => {
    const bot = testBot(kv(), env.engine);
    const reply = recordingReplier();
    await bot.pipeline.handle(message({ text: '   ' }), reply);
    expect(reply.sent).toEqual([]);
    expect(bot.metrics.seen.at(-1)).toBe('route/empty');
  });

  it('routes attachments to the media handler (without storage: it says so)', async () => {
    const bot = testBot(kv(), env.engine);
    const reply = recordingReplier();
    const attachment = {
      kind: 'image' as const,
      name: 'cat.png',
      size: 2048,
      open: async () => new ReadableStream<Uint8Array>(),
    };
    await bot.pipeline.handle(message({ text: '', attachments: [attachment] }), reply);
    expect(reply.sent[0]?.text).toBe(MEDIA_NOT_CONFIGURED);
    expect(bot.metrics.seen.at(-1)).toBe('route/media');
  });

  it('drain waits for replies in flight, then refuses new messages with a notice', async () => {
    env.fake.setBehavior({ delayMs: 40 });
    const bot = testBot(kv(), env.engine);
    const reply = recordingReplier();
    const inFlight = bot.pipeline.handle(message({ text: 'slow answer' }), reply);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bot.pipeline.inFlight).toBe(1);
    const drained = await bot.pipeline.drain(10_000);
    await inFlight;
    env.fake.setBehavior({});
    expect(drained).toEqual({ finished: 1, aborted: 0 });
    expect(reply.sent[0]?.text).toBe('Echo: slow answer');
    await bot.pipeline.handle(message(), reply);
    expect(reply.sent.at(-1)).toEqual({ kind: 'notice', text: RESTARTING_NOTICE });
  });

  it('drain aborts replies still running at the deadline', async () => {
    env.fake.setBehavior({ stallAfterChunks: 1 });
    const bot = testBot(kv(), env.engine);
    const reply = recordingReplier();
    const inFlight = bot.pipeline.handle(message({ text: 'never ends' }), reply);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const drained = await bot.pipeline.drain(100);
    await inFlight;
    env.fake.setBehavior({});
    expect(drained).toEqual({ finished: 0, aborted: 1 });
    expect(bot.pipeline.inFlight).toBe(0);
  });
});
