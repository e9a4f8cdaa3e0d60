import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTurnQueue } from '../../src/storage/queue/factory.js';
import { RedisConnector } from '../../src/storage/redis/connect.js';
import { waitFor } from '../helpers/fake-slack.js';
import { redisUrlForTests, usePrefixes } from '../helpers/redis.js';
import { describeTurnQueueConformance } from './turn-queue-conformance.js';

const url = redisUrlForTests();
const nextPrefix = usePrefixes(url);

describeTurnQueueConformance('RedisTurnQueue (BullMQ)', async (settings, hooks) =>
  createTurnQueue(
    {
      ...settings,
      redis: new RedisConnector(url),
      // usePrefixes hands out `teambot-test:<hex>:`; BullMQ adds its own `:`.
      prefix: `${nextPrefix()}${randomBytes(2).toString('hex')}`,
      lockMs: 2_000,
      maxRecoveries: 2,
      keepDoneS: 60,
      keepFailedS: 600,
      seenTtlMs: 60_000,
    },
    hooks,
  ),
);

describe('RedisTurnQueue across replicas', () => {
  const settings = (prefix: string) => ({
    burstWindowMs: 0,
    burstMax: 8,
    concurrency: 4,
    redis: new RedisConnector(url),
    prefix,
    lockMs: 2_000,
    maxRecoveries: 2,
    keepDoneS: 60,
    keepFailedS: 600,
    seenTtlMs: 60_000,
  });

  it('hands a running batch back at stop; another replica continues it with its saved state', async () => {
    const prefix = `${nextPrefix()}hb`;
    const seen: Array<{ replica: string; attempt: number; state: unknown }> = [];
    const a = createTurnQueue<{ text: string }, { shown: string }>(settings(prefix), {
      strategy: () => 'queue',
    });
    const b = createTurnQueue<{ text: string }, { shown: string }>(settings(prefix), {
      strategy: () => 'queue',
    });
    try {
      a.process(async (batch) => {
        seen.push({ replica: 'a', attempt: batch.attempt, state: batch.state });
        await batch.saveState({ shown: 'half an answer' });
        await new Promise((resolve) => batch.signal.addEventListener('abort', resolve, { once: true }));
      });
      await a.enqueue({ id: 'long', conversation: 'C', payload: { text: 'long' } });
      await waitFor(() => seen.length === 1, 'replica a to start');
      await a.stop(0);
      b.process(async (batch) => {
        seen.push({ replica: 'b', attempt: batch.attempt, state: batch.state });
      });
      await waitFor(() => seen.length === 2, 'replica b to continue', 10_000);
      expect(seen).toEqual([
        { replica: 'a', attempt: 1, state: undefined },
        { replica: 'b', attempt: 1, state: { shown: 'half an answer' } },
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
