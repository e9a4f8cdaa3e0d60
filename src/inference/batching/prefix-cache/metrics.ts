import { Counter, Gauge, type Registry } from 'prom-client';

/** The prefix cache at one scheduler boundary: counts since the last sample, and what it holds now. */
export interface PrefixCacheSample {
  /** Prompt tokens taken from the cache instead of prefilled. */
  reusedTokens: number;
  /** Prompt tokens prefilled (computed). */
  prefilledTokens: number;
  /** Blocks evicted to stay within PREFIX_CACHE_BYTES. */
  evictions: number;
  /** Bytes of KV and states held now. */
  bytes: number;
}

function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

/** The prefix cache's metrics on `registry` (reused when already registered there). */
export function prometheusPrefixMetrics(registry: Registry): (sample: PrefixCacheSample) => void {
  const counter = (name: string, help: string) =>
    existing<Counter>(registry, name) ?? new Counter({ name, help, registers: [registry] });
  const reused = counter(
    'teambot_prefix_cache_reused_tokens_total',
    'Prompt tokens the local engine took from its prefix cache instead of prefilling them.',
  );
  const prefilled = counter(
    'teambot_prefill_tokens_total',
    'Prompt tokens the local engine prefilled (computed), after what the prefix cache supplied.',
  );
  const evictions = counter(
    'teambot_prefix_cache_evictions_total',
    'Prefix-cache blocks evicted (least recently used leaves) to stay within PREFIX_CACHE_BYTES.',
  );
  const bytes =
    existing<Gauge>(registry, 'teambot_prefix_cache_bytes') ??
    new Gauge({
      name: 'teambot_prefix_cache_bytes',
      help: 'Bytes of KV blocks and states the prefix cache holds in host memory.',
      registers: [registry],
    });
  return (sample) => {
    reused.inc(sample.reusedTokens);
    prefilled.inc(sample.prefilledTokens);
    evictions.inc(sample.evictions);
    bytes.set(sample.bytes);
  };
}
