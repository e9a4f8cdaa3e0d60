import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMrkdwn } from '../../src/bot/adapters/slack/format/index.js';
import { EngineError } from '../../src/inference/errors.js';
import { PoolEngine } from '../../src/inference/pool/pool-engine.js';
import { type GenerateRequest, RESTART_CHUNK } from '../../src/inference/types.js';
import { startHarness } from '../bot/adapters/slack/harness.js';
import { appMention, envelope, nextTs } from '../bot/adapters/slack/payloads.js';
import { runCli } from '../helpers/cli-process.js';
import { startWorkerProcess, WORKER_KEY, type WorkerProcess } from '../helpers/worker-process.js';
import { collect, sleep } from '../inference/batching/support.js';
import { demoModelDir } from '../inference/onnx/models.js';

const TOKENS_SERIES = 'teambot_generated_tokens_total{engine="onnx"}';

let workers: WorkerProcess[] = [];

beforeAll(async () => {
  const dir = await demoModelDir();
  workers = await Promise.all([startWorkerProcess(dir), startWorkerProcess(dir)]);
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

const openPool = () =>
  PoolEngine.open({
    urls: workers.map((w) => w.url),
    apiKey: WORKER_KEY,
    timeoutMs: 20_000,
    contextLength: 2048,
    healthIntervalMs: 200,
  });

const ask = (content: string, maxTokens = 24): GenerateRequest => ({
  messages: [{ role: 'user', content }],
  maxTokens,
  temperature: 0,
});

describe('a gateway over two `teambot worker` processes', () => {
  it('sends work to both, reads their load, and refuses without the key', async () => {
    const pool = await openPool();
    try {
      expect(await pool.status()).toEqual({ ready: true, detail: '2 of 2 inference workers healthy' });
      const answers = await Promise.all(
        ['one', 'two', 'three', 'four', 'five', 'six'].map((q) => collect(pool.generate(ask(q)))),
      );
      for (const answer of answers) expect(answer.result.usage.completionTokens).toBeGreaterThan(0);
      for (const worker of workers) expect(await worker.metric(TOKENS_SERIES)).toBeGreaterThan(0);
      const load = await fetch(`${workers[0]?.url}/load`, {
        headers: { authorization: `Bearer ${WORKER_KEY}` },
      });
      expect(await load.json()).toEqual({
        running: expect.any(Number),
        waiting: expect.any(Number),
        tokensInFlight: expect.any(Number),
        // The generated Llama is text only.
        vision: false,
        capacity: 16,
      });
      expect((await fetch(`${workers[0]?.url}/load`)).status).toBe(401);
      expect(pool.load().capacity).toBe(32);
    } finally {
      await pool.close();
    }
  });

  it('moves an answer cut by a SIGKILLed worker to the other and rewrites the Slack message in place', async () => {
    const pool = await openPool();
    const requests: GenerateRequest[] = [];
    const recording = Object.assign(Object.create(pool) as PoolEngine, {
      generate(request: GenerateRequest, signal?: AbortSignal) {
        requests.push(request);
        return pool.generate(request, signal);
      },
    });
    const harness = await startHarness({
      engine: recording,
      settings: { maxNewTokens: 3000 },
      streamIntervalMs: 50,
    });
    try {
      const root = nextTs();
      const sent = await harness.sendEvent(
        envelope(appMention({ text: '<@UBOT> tell me a long story', ts: root })),
      );
      expect(sent.status).toBe(200);
      const answer = () => harness.fake.messages.find((m) => m.threadTs === root && m.kind !== 'ephemeral');
      for (let i = 0; i < 600 && (answer()?.text ?? '') === ''; i++) await sleep(10);
      const serving = pool.endpoints.find((e) => e.inFlight > 0);
      expect(serving).toBeDefined();
      const victim = workers.find((w) => w.url === serving?.root) as WorkerProcess;
      const shownBefore = answer()?.text ?? '';
      expect(shownBefore).not.toBe('');
      victim.cli.child.kill('SIGKILL');
      await victim.cli.exited;
      // The answer completes on the other worker: wait until the bot has finished the turn.
      await harness.bot.pipeline.drain(60_000);
      const inThread = harness.fake.messages.filter((m) => m.threadTs === root && m.kind !== 'ephemeral');
      expect(inThread).toHaveLength(1);
      const survivor = workers.find((w) => w !== victim) as WorkerProcess;
      expect(await survivor.metric(TOKENS_SERIES)).toBeGreaterThan(0);
      // What the other worker gives for the same request, greedy: the message holds exactly that.
      const [request] = requests;
      const expected = await pool.generate({ ...(request as GenerateRequest), restartable: false }).result;
      expect(inThread[0]?.text).toBe(toMrkdwn(expected.text).trim());
      expect(inThread[0]?.streaming).toBe(false);
      expect(harness.fake.callsTo('chat.update').length).toBeGreaterThan(0);

      // The dead worker comes back on its port: the gateway takes it back after a health check.
      expect((await pool.status()).detail).toContain('1 of 2 inference workers healthy');
      const port = new URL(victim.url).port;
      const revived = await startWorkerProcess(await demoModelDir(), { PORT: port });
      workers = workers.map((w) => (w === victim ? revived : w));
      for (let i = 0; i < 100 && !(await pool.status()).detail.startsWith('2 of 2'); i++) await sleep(50);
      expect((await pool.status()).detail).toBe('2 of 2 inference workers healthy');
      const before = await revived.metric(TOKENS_SERIES);
      await Promise.all(['a', 'b', 'c', 'd'].map((q) => pool.generate(ask(q)).result));
      expect(await revived.metric(TOKENS_SERIES)).toBeGreaterThan(Number.isNaN(before) ? 0 : before);
    } finally {
      await harness.close();
      await pool.close();
    }
  }, 120_000);

  it('answers busy with a retry-after when no worker can take it, and unreachable when none is healthy', async () => {
    const pool = await PoolEngine.open({
      urls: ['http://127.0.0.1:9'],
      apiKey: WORKER_KEY,
      timeoutMs: 2_000,
      contextLength: 2048,
      healthIntervalMs: 200,
    });
    try {
      const error = await pool.generate(ask('hi')).result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('unreachable');
      expect((error as EngineError).retryAfterMs).toBeGreaterThan(0);
      expect((await pool.status()).ready).toBe(false);
    } finally {
      await pool.close();
    }
    expect(RESTART_CHUNK).toContain('restart');
  });
});

describe('teambot serve with the engine in its own thread', () => {
  it('answers /v1 and shows the engine thread’s scheduler metrics in its one /metrics', async () => {
    const serve = runCli(['serve'], {
      PORT: '0',
      HOST: '127.0.0.1',
      API_KEYS: WORKER_KEY,
      MODEL: await demoModelDir(),
      INFERENCE_DEVICE: 'cpu',
      INFERENCE_THREADS: '1',
      TEMPERATURE: '0',
    });
    try {
      const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/, 60_000);
      const { url } = JSON.parse(line) as { url: string };
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WORKER_KEY}` },
        body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }),
      });
      expect(response.status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^teambot_batch_size_count \d+$/m);
      expect(Number(/^teambot_batch_size_count (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      expect(metrics).toMatch(/^teambot_inference_queue_depth 0$/m);
      const ready = (await (await fetch(`${url}/ready`)).json()) as {
        checks: { engine: { detail: string } };
      };
      expect(ready.checks.engine.detail).toContain('on cpu');
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
    }
  }, 90_000);
});
