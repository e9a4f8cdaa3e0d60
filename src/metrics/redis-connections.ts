import { Gauge, type Registry } from 'prom-client';

/** `teambot_redis_connection_up{name}`: 1 while the named Redis connection is ready, 0 otherwise. */
export function redisConnectionGauge(registry: Registry): Gauge<'name'> {
  return (
    (registry.getSingleMetric('teambot_redis_connection_up') as Gauge<'name'> | undefined) ??
    new Gauge({
      name: 'teambot_redis_connection_up',
      help: 'Whether each named Redis connection is ready (1) or down or reconnecting (0).',
      labelNames: ['name'] as const,
      registers: [registry],
    })
  );
}
