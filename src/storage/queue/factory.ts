import type { RedisConnector } from '../redis/connect.js';
import { MemoryTurnQueue } from './memory.js';
import { RedisTurnQueue, type RedisTurnQueueOptions } from './redis.js';
import type { TurnQueue, TurnQueueHooks } from './types.js';

export type TurnQueueFactoryOptions = Omit<RedisTurnQueueOptions, 'connection' | 'workerConnection'> & {
  /** The app's Redis connector; undefined: the in-process queue. */
  redis: RedisConnector | undefined;
};

/** BullMQ on Redis when REDIS_URL is set (connections `turns` and `turns-worker`), else in-process. */
export function createTurnQueue<P, S>(
  options: TurnQueueFactoryOptions,
  hooks: TurnQueueHooks<P, S>,
): TurnQueue<P, S> {
  if (options.redis === undefined) return new MemoryTurnQueue(options, hooks);
  const connection = options.redis.open('turns', { commandTimeoutMs: 5_000, maxRetriesPerRequest: 2 });
  const workerConnection = options.redis.open('turns-worker', {
    commandTimeoutMs: null,
    maxRetriesPerRequest: null,
  });
  const queue = new RedisTurnQueue<P, S>({ ...options, connection, workerConnection }, hooks);
  const close = queue.close.bind(queue);
  queue.close = async () => {
    try {
      await close();
    } finally {
      connection.disconnect();
      workerConnection.disconnect();
    }
  };
  return queue;
}
