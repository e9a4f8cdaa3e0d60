import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { reportRuntime } from '../../src/app/runtime-metrics.js';
import { larkMetrics } from '../../src/bot/adapters/lark/metrics.js';
import { reportPool } from '../../src/inference/pool/metrics.js';
import { WorkerEndpoint } from '../../src/inference/pool/worker-endpoint.js';
import { ScriptedEngine } from '../helpers/scripted-engine.js';

const series = async (registry: Registry) => (await registry.metrics()).split('\n');

describe('gauges read at scrape time', () => {
  it('says which dependency failed its check (and bounds a hung one), with the engine rows', async () => {
    const registry = new Registry();
    const engine = Object.assign(new ScriptedEngine('scripted', [{}]), {
      load: () => ({ running: 3, waiting: 1, tokensInFlight: 900, capacity: 8 }),
    });
    reportRuntime(registry, engine, {
      kv: async () => {
        throw new Error('ECONNREFUSED');
      },
      objects: async () => ({ ok: true, detail: 'fs' }),
      engine: () => new Promise(() => {}),
    });
    const started = Date.now();
    const lines = await series(registry);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines).toEqual(
      expect.arrayContaining([
        'teambot_dependency_up{dependency="kv"} 0',
        'teambot_dependency_up{dependency="objects"} 1',
        'teambot_dependency_up{dependency="engine"} 0',
        'teambot_engine_rows{state="running"} 3',
        'teambot_engine_rows{state="capacity"} 8',
        'teambot_engine_tokens_in_flight 900',
      ]),
    );
  });

  it("reports each inference worker's health and this gateway's requests on it", async () => {
    const registry = new Registry();
    const endpoint = (url: string) => new WorkerEndpoint({ url, timeoutMs: 1_000, contextLength: 2048 });
    const up = endpoint('http://127.0.0.1:1/');
    const down = endpoint('http://127.0.0.1:2/v1');
    up.healthy = true;
    up.inFlight = 2;
    reportPool(registry, [up, down]);
    expect(await series(registry)).toEqual(
      expect.arrayContaining([
        'teambot_inference_worker_up{worker="http://127.0.0.1:1"} 1',
        'teambot_inference_worker_up{worker="http://127.0.0.1:2"} 0',
        'teambot_inference_worker_requests{worker="http://127.0.0.1:1"} 2',
        'teambot_inference_workers{state="healthy"} 1',
        'teambot_inference_workers{state="total"} 2',
      ]),
    );
  });

  it('exports the Lark connection only once there is one to report (webhook mode has none)', async () => {
    const registry = new Registry();
    const metrics = larkMetrics(registry);
    expect((await series(registry)).some((l) => l.startsWith('teambot_lark_connection_up'))).toBe(false);
    metrics.connection(true);
    expect(await series(registry)).toContain('teambot_lark_connection_up 1');
    metrics.connection(false);
    expect(await series(registry)).toContain('teambot_lark_connection_up 0');
  });
});
