import { describe, expect, it } from 'vitest';
import { ChainEngine } from '../../../src/inference/chain/engine.js';
import { MeteredEngine } from '../../../src/inference/observe/engine.js';
import { createInferenceMetrics } from '../../../src/inference/observe/metrics.js';
import { createMetrics } from '../../../src/metrics/registry.js';
import { collectText, ScriptedEngine, upstream } from '../../helpers/scripted-engine.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

function setup() {
  const metrics = createMetrics({ defaultMetrics: false });
  const inference = createInferenceMetrics(metrics.registry);
  const scrape = async () => (await metrics.render()).body;
  return { inference, scrape };
}

const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
};

describe('MeteredEngine and the inference metrics', () => {
  it('records time to first chunk, time between chunks and generated tokens', async () => {
    const { inference, scrape } = setup();
    const inner = new ScriptedEngine('local', [{ chunks: ['a', 'b', 'c', 'd'], delayMs: 30 }]);
    const engine = new MeteredEngine(inner, inference);
    const { text, result } = await collectText(engine.generate(ask));
    expect(text).toBe('abcd');
    const body = await scrape();
    expect(value(body, 'teambot_generated_tokens_total{engine="local"}')).toBe(result.usage.completionTokens);
    expect(value(body, 'teambot_time_to_first_token_seconds_count{engine="local"}')).toBe(1);
    expect(value(body, 'teambot_time_to_first_token_seconds_sum{engine="local"}')).toBeGreaterThanOrEqual(
      0.025,
    );
    expect(value(body, 'teambot_inter_token_latency_seconds_count{engine="local"}')).toBe(3);
    // Every gap was ~30 ms: none in the 10 ms bucket, all by 100 ms.
    expect(value(body, 'teambot_inter_token_latency_seconds_bucket{le="0.01",engine="local"}')).toBe(0);
    expect(value(body, 'teambot_inter_token_latency_seconds_bucket{le="0.1",engine="local"}')).toBe(3);
  });

  it('stops the inner generation when the consumer stops early, and still counts what was generated', async () => {
    const { inference, scrape } = setup();
    const inner = new ScriptedEngine('local', [{ chunks: ['a', 'b', 'c'], delayMs: 10 }]);
    const engine = new MeteredEngine(inner, inference);
    const generation = engine.generate(ask);
    for await (const _ of generation) break;
    expect((await generation.result).finishReason).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(inner.aborted).toBe(1);
    expect(value(await scrape(), 'teambot_generated_tokens_total{engine="local"}')).toBe(1);
  });

  it('exports each backend’s breaker state as 0 closed, 1 half-open, 2 open, and cache results', async () => {
    const { inference, scrape } = setup();
    const remote = new ScriptedEngine('remote', [
      { chunks: [], error: upstream() },
      { chunks: ['o', 'k'], delayMs: 20 },
    ]);
    const chain = new ChainEngine({
      backends: [{ name: 'remote', engine: remote }],
      retry: { baseMs: 1, upstream: 0 },
      breaker: { threshold: 1, halfOpenAfterMs: 50 },
      onBreakerState: inference.breakerState,
    });
    expect(value(await scrape(), 'teambot_backend_breaker_state{backend="remote"}')).toBe(0);
    await expect(collectText(chain.generate(ask))).rejects.toMatchObject({ code: 'upstream' });
    expect(value(await scrape(), 'teambot_backend_breaker_state{backend="remote"}')).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 80));
    let halfOpen = Number.NaN;
    const generation = chain.generate(ask);
    for await (const _ of generation) {
      if (Number.isNaN(halfOpen))
        halfOpen = value(await scrape(), 'teambot_backend_breaker_state{backend="remote"}');
    }
    await generation.result;
    await new Promise((resolve) => setImmediate(resolve));
    expect(halfOpen).toBe(1);
    expect(value(await scrape(), 'teambot_backend_breaker_state{backend="remote"}')).toBe(0);

    inference.cacheLookup('miss');
    inference.cacheLookup('hit');
    inference.cacheLookup('hit');
    const body = await scrape();
    expect(value(body, 'teambot_response_cache_total{result="hit"}')).toBe(2);
    expect(value(body, 'teambot_response_cache_total{result="miss"}')).toBe(1);
  });
});
