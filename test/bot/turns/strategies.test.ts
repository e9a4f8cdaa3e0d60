import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTurns, type TurnConfig } from '../../../src/app/turns.js';
import { createBot } from '../../../src/bot/create-bot.js';
import type { Replier } from '../../../src/bot/message.js';
import { STOPPED_MARK } from '../../../src/bot/turns/stopped-mark.js';
import { createMetrics } from '../../../src/metrics/registry.js';
import { MemoryKeyValueStore } from '../../../src/storage/kv/memory.js';
import { createObjectStore } from '../../../src/storage/object/factory.js';
import type { BurstStrategy } from '../../../src/storage/queue/types.js';
import { testSettings } from '../../helpers/bot.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { waitFor } from '../../helpers/fake-slack.js';
import { message } from '../../helpers/messages.js';
import { type Recorded, recordingReplier } from '../../helpers/recording-replier.js';
import { ScriptedEngine } from '../../helpers/scripted-engine.js';

const config = (strategy: BurstStrategy): TurnConfig => ({
  TURN_BURST_WINDOW_MS: 0,
  TURN_BURST_MAX: 8,
  TURN_STRATEGY: strategy,
  TURN_QUEUE_PREFIX: 'teambot',
  TURN_LOCK_MS: 2_000,
  TURN_MAX_RECOVERIES: 2,
  TURN_CONCURRENCY: 8,
  TURN_KEEP_DONE_S: 60,
  TURN_KEEP_FAILED_S: 600,
  DEDUP_TTL_HOURS: 1,
  MEDIA_MAX_VIDEO_MB: 10,
});

const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A bot whose accepted messages go through the in-process turn queue; every reply is recorded. */
async function turnBot(strategy: BurstStrategy, engine: ScriptedEngine) {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-turns-'));
  dirs.push(dir);
  const log = captureLogger();
  const metrics = createMetrics({ defaultMetrics: false });
  const objects = await createObjectStore({
    dataDir: dir,
    publicBaseUrl: 'http://127.0.0.1',
    signingSecret: 's',
  });
  const turns = createTurns({
    config: config(strategy),
    redis: undefined,
    objects,
    metrics,
    logger: log.logger,
  });
  const kv = new MemoryKeyValueStore();
  const bot = createBot({
    kv,
    engine,
    logger: log.logger,
    metrics: metrics.pipeline,
    settings: testSettings,
    turns: turns.stage,
  });
  const replies: Recorded[] = [];
  turns.resumers.set('slack', () => {
    const reply = recordingReplier();
    return {
      ...reply,
      stream: (chunks) => {
        const done = reply.stream(chunks);
        replies.push(reply.sent.at(-1) as Recorded);
        return done;
      },
    } satisfies Replier;
  });
  turns.start(bot.pipeline);
  closers.push(async () => {
    await turns.close();
    await kv.close();
  });
  const send = (text: string) =>
    bot.pipeline.handle(message({ text, chat: { id: 'D1', kind: 'dm' } }), {
      ...recordingReplier(),
      handle: { platform: 'slack', channel: 'D1' },
    });
  return { send, replies, turns, metrics };
}

const lastQuestion = (engine: ScriptedEngine, call: number) =>
  engine.requests[call]?.messages.at(-1)?.content;

describe('turn strategies (in-process queue, real pipeline)', () => {
  it('interrupt: a newer message stops the running answer (marked stopped) and the next answer answers both', async () => {
    const engine = new ScriptedEngine('scripted', [
      { chunks: ['one ', 'two ', 'three ', 'four ', 'five'], delayMs: 150 },
      { chunks: ['both answered'] },
    ]);
    const { send, replies, metrics } = await turnBot('interrupt', engine);
    await send('first');
    await waitFor(() => replies[0]?.text.startsWith('one '), 'the first answer to start');
    await send('second');
    await waitFor(() => replies[1]?.text === 'both answered', 'the second answer', 10_000);
    expect(replies[0]?.text.endsWith(STOPPED_MARK)).toBe(true);
    expect(replies[0]?.text).not.toContain('five');
    expect(lastQuestion(engine, 1)).toBe('first\n\nsecond');
    const text = (await metrics.render()).body;
    expect(text).toMatch(/teambot_turn_cancels_total\{reason="interrupt"\} 1/);
    expect(text).toMatch(/teambot_turns_merged_total 1/);
  });

  it('queue: a newer message waits and is answered on its own after the running answer', async () => {
    const engine = new ScriptedEngine('scripted', [
      { chunks: ['a', 'b', 'c'], delayMs: 100 },
      { chunks: ['second answer'] },
    ]);
    const { send, replies } = await turnBot('queue', engine);
    await send('first');
    await waitFor(() => replies.length === 1, 'the first answer to start');
    await send('second');
    await waitFor(() => replies[1]?.text === 'second answer', 'the second answer', 10_000);
    expect(replies[0]?.text).toBe('abc');
    expect(lastQuestion(engine, 0)).toBe('first');
    expect(lastQuestion(engine, 1)).toBe('second');
  });
});
