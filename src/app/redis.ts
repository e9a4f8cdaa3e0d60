import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import { RedisConnector } from '../storage/redis/connect.js';

/**
 * The app's Redis connector: REDIS_URL parsed once, every connection named, its errors logged
 * through `logger` and its state on /metrics. Undefined without REDIS_URL.
 */
export function redisConnectorFrom(
  config: Pick<Config, 'REDIS_URL'>,
  logger: Logger,
  metrics: Pick<Metrics, 'registry'>,
): RedisConnector | undefined {
  if (config.REDIS_URL === undefined || config.REDIS_URL === '') return undefined;
  return new RedisConnector(config.REDIS_URL, { logger, registry: metrics.registry });
}
