import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTurns, type TurnConfig, type Turns } from '../../src/app/turns.js';
import type { TurnPipeline } from '../../src/bot/pipeline/pipeline.js';
import type { ReplyResumer } from '../../src/bot/turns/answer-place.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { createObjectStore } from '../../src/storage/object/factory.js';
import type { BurstStrategy } from '../../src/storage/queue/types.js';
import { RedisConnector } from '../../src/storage/redis/connect.js';
import { captureLogger } from './capture-logger.js';
import type { FakeOpenAI } from './fake-openai.js';
import { waitFor } from './fake-slack.js';

export interface TestTurnsOptions {
  strategy?: BurstStrategy;
  /** Batches run at once (TURN_CONCURRENCY); default 8. */
  concurrency?: number;
  /** A Redis queue there (under `prefix`); default the in-process queue. */
  redis?: { url: string; prefix: string };
}

/** Durable turns as the app wires them (createTurns), on a throwaway object store. */
export async function testTurns(options: TestTurnsOptions = {}): Promise<Turns> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-turns-'));
  const config: TurnConfig = {
    TURN_BURST_WINDOW_MS: 0,
    TURN_BURST_MAX: 8,
    TURN_STRATEGY: options.strategy ?? 'queue',
    TURN_QUEUE_PREFIX: options.redis?.prefix ?? 'teambot',
    TURN_LOCK_MS: 2_000,
    TURN_MAX_RECOVERIES: 2,
    TURN_CONCURRENCY: options.concurrency ?? 8,
    TURN_KEEP_DONE_S: 60,
    TURN_KEEP_FAILED_S: 600,
    DEDUP_TTL_HOURS: 1,
    MEDIA_MAX_VIDEO_MB: 10,
  };
  const redis = options.redis === undefined ? undefined : new RedisConnector(options.redis.url);
  const objects = await createObjectStore({
    dataDir: dir,
    publicBaseUrl: 'http://127.0.0.1',
    signingSecret: 's',
  });
  const turns = createTurns({
    config,
    redis,
    objects,
    metrics: createMetrics({ defaultMetrics: false }),
    logger: captureLogger().logger,
  });
  const close = turns.close.bind(turns);
  turns.close = async () => {
    try {
      await close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  return turns;
}

/** Registers an adapter's resumer and, unless `run` is false (a replica that only accepts), runs turns. */
export function runTurns(
  turns: Turns,
  platform: string,
  resumer: ReplyResumer,
  pipeline: Pick<TurnPipeline, 'runQueued'>,
  run = true,
): void {
  turns.resumers.set(platform, resumer);
  if (run) turns.start(pipeline);
}

/**
 * Waits for `sent` (a message on its way, its request to the engine not made yet), then until the
 * engine has its answer's request: the turn runs, so what is sent next waits behind it instead of
 * joining its burst (messages a millisecond apart are one).
 */
export async function whileAnswering(fake: FakeOpenAI, sent: Promise<unknown>): Promise<void> {
  const asked = () => fake.requests.filter((r) => r.path === '/v1/chat/completions').length;
  const before = asked();
  await sent;
  await waitFor(() => asked() > before, 'the first answer under way', 10_000);
}
