/**
 * PREFIX_CACHE_BYTES from config, with the engine in its own thread (the default): a thread's second
 * turn resumes from the first, and the counts reach the main thread's /metrics.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/config/load.js';
import { prometheusBatchMetrics } from '../../../../src/inference/batching/metrics.js';
import { createEngine } from '../../../../src/inference/factory.js';
import { ThreadEngine } from '../../../../src/inference/thread/thread-engine.js';
import type { ChatMessage } from '../../../../src/inference/types.js';
import { createMetrics } from '../../../../src/metrics/registry.js';
import { demoModelDir } from '../../onnx/models.js';
import { collect } from '../support.js';

let modelsDir: string;
beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'teambot-prefix-config-'));
});
afterAll(() => rm(modelsDir, { recursive: true, force: true }));

const metricValue = (body: string, name: string): number => {
  const line = body.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(line.split(' ')[1]);
};

describe('the prefix cache from config', () => {
  it('serves a second turn from the first in the engine thread, and reports to /metrics', async () => {
    const config = loadConfig({
      MODEL: await demoModelDir(),
      MODELS_DIR: modelsDir,
      INFERENCE_DEVICE: 'cpu',
      INFERENCE_THREADS: '1',
      TEMPERATURE: '0',
      PREFIX_CACHE_BYTES: String(32 * 1024 * 1024),
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const engine = await createEngine(config, { batchMetrics: prometheusBatchMetrics(metrics.registry) });
    try {
      expect(engine).toBeInstanceOf(ThreadEngine);
      const messages: ChatMessage[] = [
        { role: 'system', content: 'You are teambot, a helpful assistant in a team chat. Answer concisely.' },
        { role: 'user', content: 'The payment tests failed whenever the cache service restarted. Why?' },
      ];
      const first = await collect(engine.generate({ messages, maxTokens: 20 }));
      messages.push({ role: 'assistant', content: first.result.text }, { role: 'user', content: 'And now?' });
      await collect(engine.generate({ messages, maxTokens: 20 }));
      const stats = await (engine as ThreadEngine).batchStats();
      expect(stats.prefixCache?.hits).toBe(1);
      const { body } = await metrics.render();
      expect(metricValue(body, 'teambot_prefix_cache_reused_tokens_total')).toBe(
        stats.prefixCache?.reusedTokens,
      );
      expect(metricValue(body, 'teambot_prefill_tokens_total')).toBe(stats.prefixCache?.prefilledTokens);
      expect(metricValue(body, 'teambot_prefix_cache_bytes')).toBe(stats.prefixCache?.bytes);
      expect(metricValue(body, 'teambot_prefix_cache_evictions_total')).toBe(0);
      expect(stats.prefixCache?.reusedTokens).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('is on by default, off with 0, and refuses a negative budget with a clear error', () => {
    expect(loadConfig({}).PREFIX_CACHE_BYTES).toBe(1024 * 1024 * 1024);
    expect(loadConfig({ PREFIX_CACHE_BYTES: '0' }).PREFIX_CACHE_BYTES).toBe(0);
    expect(() => loadConfig({ PREFIX_CACHE_BYTES: '-1' })).toThrow(/PREFIX_CACHE_BYTES/);
  });
});
