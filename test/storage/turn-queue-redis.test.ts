import { randomBytes } from 'node:crypto';
import { createTurnQueue } from '../../src/storage/queue/factory.js';
import { RedisConnector } from '../../src/storage/redis/connect.js';
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
