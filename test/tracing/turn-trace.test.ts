import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/inference/errors.js';
import { TracedEngine } from '../../src/inference/observe/traced-engine.js';
import type { ThreadEngine } from '../../src/inference/thread/thread-engine.js';
import { MemoryKeyValueStore } from '../../src/storage/kv/memory.js';
import { markTracingOn } from '../../src/tracing/state.js';
import { testBot } from '../helpers/bot.js';
import { message } from '../helpers/messages.js';
import { recordingReplier } from '../helpers/recording-replier.js';
import { ScriptedEngine } from '../helpers/scripted-engine.js';
import { type CapturedTracing, captureTracing, endMs, startMs } from '../helpers/tracing.js';
import { demoModelDir } from '../inference/onnx/models.js';
import { openThread } from '../inference/thread/support.js';

let tracing: CapturedTracing;
let thread: ThreadEngine;

beforeAll(async () => {
  tracing = captureTracing();
  thread = await openThread(await demoModelDir());
}, 60_000);
afterAll(async () => {
  await thread?.close();
  await tracing?.close();
});

const ORDER = [
  'chat.turn',
  'pipeline.dedup',
  'pipeline.permissions',
  'pipeline.limits',
  'pipeline.route',
  'engine.generate',
  'engine.queued',
  'engine.prefill',
  'engine.decode',
];

describe('a chat turn traced with the OpenTelemetry SDK (in-memory exporter)', () => {
  it('is one trace across the pipeline and the engine thread, in order, with the documented attributes', async () => {
    const kv = new MemoryKeyValueStore({ prefix: 'trace:' });
    const bot = testBot(kv, new TracedEngine(thread));
    const reply = recordingReplier();
    await bot.pipeline.handle(message({ id: 'm-trace-1', text: 'hello there' }), reply);
    expect(reply.sent.map((s) => s.kind)).toEqual(['stream']);

    const [turn] = tracing.named('chat.turn');
    expect(turn).toBeDefined();
    const traceId = turn?.spanContext().traceId;
    const mine = tracing.spans().filter((s) => s.spanContext().traceId === traceId);
    const byName = new Map(mine.map((s) => [s.name, s]));
    for (const name of [...ORDER, 'reply.stream']) expect(byName.has(name), name).toBe(true);
    // Every span of this turn is in one trace, and no other trace was made for it.
    expect(tracing.spans().every((s) => s.spanContext().traceId === traceId)).toBe(true);

    const starts = ORDER.map((name) => startMs(byName.get(name) as NonNullable<typeof turn>));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);

    const id = (name: string) => byName.get(name)?.spanContext().spanId;
    const parent = (name: string) => byName.get(name)?.parentSpanContext?.spanId;
    expect(turn?.parentSpanContext).toBeUndefined();
    for (const stage of ['pipeline.dedup', 'pipeline.permissions', 'pipeline.limits', 'pipeline.route'])
      expect(parent(stage), stage).toBe(id('chat.turn'));
    expect(parent('engine.generate')).toBe(id('pipeline.route'));
    expect(parent('reply.stream')).toBe(id('pipeline.route'));
    for (const phase of ['engine.queued', 'engine.prefill', 'engine.decode'])
      expect(parent(phase), phase).toBe(id('engine.generate'));

    // Stages end when they hand over; the engine's phases lie within its span. Spans take their
    // times from clocks anchored per span (sub-millisecond apart), hence the 1 ms of slack, as below.
    const generate = byName.get('engine.generate') as NonNullable<typeof turn>;
    const decode = byName.get('engine.decode') as NonNullable<typeof turn>;
    expect(endMs(byName.get('pipeline.dedup') as NonNullable<typeof turn>)).toBeLessThanOrEqual(
      startMs(byName.get('pipeline.permissions') as NonNullable<typeof turn>) + 1,
    );
    expect(endMs(decode)).toBeLessThanOrEqual(endMs(generate) + 1);

    expect(turn?.attributes).toMatchObject({
      'teambot.platform': 'slack',
      'teambot.message.id': 'm-trace-1',
      'teambot.chat.kind': 'dm',
    });
    expect(generate.attributes).toMatchObject({
      'teambot.engine': 'onnx',
      'gen_ai.request.model': 'test-model',
      'gen_ai.usage.input_tokens': expect.any(Number),
      'gen_ai.response.finish_reasons': [expect.stringMatching(/stop|length/)],
    });
    expect(generate.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(byName.get('engine.prefill')?.attributes['teambot.prompt_tokens']).toBeGreaterThan(0);
    expect(decode.attributes['teambot.decode.steps']).toBeGreaterThan(0);
    expect(decode.attributes['teambot.batch.rows_mean']).toBeGreaterThanOrEqual(1);
    expect(decode.attributes['teambot.batch.rows_max']).toBeGreaterThanOrEqual(1);
    expect(byName.get('reply.stream')?.attributes['teambot.reply.chars']).toBeGreaterThan(0);

    const lines = bot.log.lines.filter((l) => l.messageId === 'm-trace-1');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.traceId).toBe(traceId);
    await kv.close();
  });

  it('gives the user the trace id as the error id, and logs it', async () => {
    const kv = new MemoryKeyValueStore({ prefix: 'trace-err:' });
    const failing = new ScriptedEngine('scripted', [
      { chunks: [], error: new EngineError('upstream', 'answered 502') },
    ]);
    const bot = testBot(kv, new TracedEngine(failing));
    const reply = recordingReplier();
    await bot.pipeline.handle(message({ id: 'm-trace-2', text: 'fail please' }), reply);

    const turn = tracing.named('chat.turn').find((s) => s.attributes['teambot.message.id'] === 'm-trace-2');
    const traceId = turn?.spanContext().traceId ?? 'none';
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const told = reply.sent.map((s) => s.text).join('\n');
    expect(told).toContain(`(error ${traceId})`);
    const logged = bot.log.at('error').find((l) => l.msg === 'message handling failed');
    expect(logged).toMatchObject({ errorId: traceId, traceId, code: 'engine_upstream' });
    expect(turn?.attributes).toMatchObject({
      'teambot.error.code': 'engine_upstream',
      'teambot.error.id': traceId,
    });
    expect(turn?.status.code).toBe(2);
    const generate = tracing.named('engine.generate').find((s) => s.spanContext().traceId === traceId);
    expect(generate?.attributes['teambot.error.code']).toBe('upstream');
    await kv.close();
  });

  it('adds no span at all when tracing is off, even with a provider registered', async () => {
    const kv = new MemoryKeyValueStore({ prefix: 'trace-off:' });
    const before = tracing.spans().length;
    markTracingOn(false);
    try {
      const bot = testBot(kv, new ScriptedEngine('scripted', [{ chunks: ['fine'] }]));
      const reply = recordingReplier();
      await bot.pipeline.handle(message({ id: 'm-trace-3', text: 'untraced' }), reply);
      expect(reply.sent.map((s) => s.text)).toEqual(['fine']);
      expect(tracing.spans().length).toBe(before);
      expect(bot.log.lines.some((l) => 'traceId' in l)).toBe(false);
    } finally {
      markTracingOn(true);
      await kv.close();
    }
  });
});
