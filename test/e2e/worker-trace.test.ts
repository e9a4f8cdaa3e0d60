import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TracedEngine } from '../../src/inference/observe/traced-engine.js';
import { PoolEngine } from '../../src/inference/pool/pool-engine.js';
import { inSpan } from '../../src/tracing/spans.js';
import { type FakeCollector, startFakeCollector } from '../helpers/fake-collector.js';
import { type CapturedTracing, captureTracing } from '../helpers/tracing.js';
import { startWorkerProcess, WORKER_KEY, type WorkerProcess } from '../helpers/worker-process.js';
import { collect } from '../inference/batching/support.js';
import { demoModelDir } from '../inference/onnx/models.js';

let collector: FakeCollector;
let worker: WorkerProcess;
let tracing: CapturedTracing;

beforeAll(async () => {
  collector = await startFakeCollector();
  tracing = captureTracing();
  worker = await startWorkerProcess(await demoModelDir(), {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_SERVICE_NAME: 'worker-under-test',
  });
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await tracing?.close();
  await collector?.close();
});

describe('a trace across a gateway and a `teambot worker` process (OTLP from the worker)', () => {
  it('carries the trace id to the worker, whose spans hang under the gateway engine span', async () => {
    const pool = await PoolEngine.open({
      urls: [worker.url],
      apiKey: WORKER_KEY,
      timeoutMs: 20_000,
      contextLength: 2048,
      healthIntervalMs: 200,
    });
    const engine = new TracedEngine(pool);
    try {
      await inSpan('api.request', {}, async () => {
        const answer = await collect(
          engine.generate({
            messages: [{ role: 'user', content: 'trace me' }],
            maxTokens: 8,
            temperature: 0,
          }),
        );
        expect(answer.result.usage.completionTokens).toBeGreaterThan(0);
      });
    } finally {
      await pool.close();
    }
    // SIGTERM: the worker's shutdown exports the spans it still holds.
    await worker.stop();

    const [gatewayEngine] = tracing.named('engine.generate');
    const traceId = gatewayEngine?.spanContext().traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const remote = collector.spans.filter((s) => s.traceId === traceId);
    const byName = new Map(remote.map((s) => [s.name, s]));
    const server = byName.get('POST /v1/chat/completions');
    expect(server?.service).toBe('worker-under-test');
    expect(server?.parentSpanId).toBe(gatewayEngine?.spanContext().spanId);
    expect(server?.attributes).toMatchObject({
      'http.response.status_code': 200,
      'http.route': '/v1/chat/completions',
    });
    const workerEngine = byName.get('engine.generate');
    expect(workerEngine?.parentSpanId).toBe(server?.spanId);
    for (const phase of ['engine.queued', 'engine.prefill', 'engine.decode'])
      expect(byName.get(phase)?.parentSpanId, phase).toBe(workerEngine?.spanId);
    expect(byName.get('engine.decode')?.attributes['teambot.batch.rows_max']).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
