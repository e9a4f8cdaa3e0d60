import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { prometheusBatchMetrics } from '../../../src/inference/batching/metrics.js';
import { createEngine } from '../../../src/inference/factory.js';
import { OnnxEngine } from '../../../src/inference/onnx/engine.js';
import { createMetrics } from '../../../src/metrics/registry.js';
import { demoModelDir } from '../onnx/models.js';
import { collect } from './support.js';

let modelsDir: string;
beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'teambot-batch-config-'));
});
afterAll(() => rm(modelsDir, { recursive: true, force: true }));

describe('the batching engine from config', () => {
  it('is the default local engine, takes the BATCH_* settings and reports to /metrics', async () => {
    const config = loadConfig({
      MODEL: await demoModelDir(),
      MODELS_DIR: modelsDir,
      INFERENCE_DEVICE: 'cpu',
      INFERENCE_THREADS: '1',
      BATCH_MAX_SIZE: '2',
      BATCH_MAX_WAITING: '0',
      BATCH_PER_USER_MAX: '1',
      TEMPERATURE: '0',
    });
    expect(config.BATCH_MAX_SIZE).toBe(2);
    expect(config.BATCH_MAX_TOKENS_IN_FLIGHT).toBe(65_536);
    const metrics = createMetrics({ defaultMetrics: false });
    const engine = await createEngine(config, { batchMetrics: prometheusBatchMetrics(metrics.registry) });
    try {
      expect(engine).toBeInstanceOf(OnnxEngine);
      const ask = (user: string) =>
        engine.generate({ messages: [{ role: 'user', content: 'Hello there' }], maxTokens: 6, user });
      // Two rows, no waiting room: the third request is refused at once.
      const running = [ask('a'), ask('b')];
      await expect(ask('c').result).rejects.toMatchObject({ code: 'busy' });
      await Promise.all(running.map((g) => collect(g)));
      const { body } = await metrics.render();
      expect(body).toMatch(/teambot_inference_rejections_total\{reason="busy"\} 1/);
      expect(body).toMatch(/teambot_batch_size_bucket\{le="2"\} [1-9]/);
      expect(body).toMatch(/# TYPE teambot_inference_queue_depth gauge/);
    } finally {
      await engine.close();
    }
  });

  it('refuses a BATCH_MAX_SIZE of 0 with a clear error', () => {
    expect(() => loadConfig({ BATCH_MAX_SIZE: '0' })).toThrow(/BATCH_MAX_SIZE/);
  });
});
