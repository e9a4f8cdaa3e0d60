/**
 * `npm run bench:ack`: Slack ack latency of `teambot serve` while it generates, against a bare
 * @slack/bolt app, in the same run; and `/health` during a long prefill. Prints one JSON line,
 * writes its section of docs/benchmarks.md and draws ack latency against rate in docs/bench/.
 */
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { demoSpec, ensureDemoModel, parameterCount } from '../src/inference/demo/index.js';
import { loadTokenizer } from '../src/inference/text/load-tokenizer.js';
import { runCli } from '../test/helpers/cli-process.js';
import { startFakeSlack } from '../test/helpers/fake-slack.js';
import { type Contender, startBolt, startTeambot } from './ack/contenders.js';
import { mainThreadCpuMs } from './ack/cpu.js';
import { type RateResult, sendAtRate } from './ack/load.js';
import { longPrompt, type PrefillProbe, probePrefill } from './ack/prefill-probe.js';
import { renderAckSection } from './ack/section.js';
import { type LatencyFigures, latencyFigures } from './ack/stats.js';
import { ackCharts, CHART_DIR, writeCharts } from './charts.js';
import { writeNamedSection } from './ocr/section.js';

export interface AckReport {
  bench: 'ack';
  model: string;
  params: number;
  engineThreads: number;
  /** INFERENCE_THREAD_NICE of teambot's engine thread (10 is the default). */
  engineNice: number;
  boltVersion: string;
  seconds: number;
  users: number;
  rates: {
    rate: number;
    teambot: LatencyFigures;
    bolt: LatencyFigures;
    teambotSent: number;
    teambotNon2xx: number;
    boltSent: number;
    boltNon2xx: number;
    p99Ratio: number;
    /** Main-thread CPU ms per event (from sending to 3 s after the last), where /proc tells. */
    teambotCpuMsPerEvent?: number;
    boltCpuMsPerEvent?: number;
  }[];
  prefill: { thread: PrefillProbe; inProcess: PrefillProbe };
  targets: { ackP99: boolean; health: boolean };
  machine: { cpus: number; cpuModel: string; node: string; loadAvg1m: { start: number; end: number } };
  date: string;
}

type Measured = RateResult & { cpuMsPerEvent: number | undefined };

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rates: { type: 'string', default: '100,300' },
    nice: { type: 'string', default: '10' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const rates = (values.rates ?? '').split(',').map(Number);
if (!(seconds > 0) || rates.some((r) => !(r > 0))) throw new Error('--seconds and --rates must be positive');
const nice = Number(values.nice);
if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error('--nice must be 0-19');

const SECRET = 'bench-signing-secret';
const API_KEY = 'sk-bench-ack';
const ENGINE_THREADS = 1;
const progress = (line: string) => process.stderr.write(`bench:ack: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const loadStart = loadavg()[0] ?? 0;
  const spec = demoSpec('bench');
  const modelDir = await ensureDemoModel({ size: 'bench', cacheDir: '.cache/demo-models' });
  const tokenizer = await loadTokenizer(modelDir);
  const prompt = await longPrompt((text) => tokenizer.tokenizer.encode(text).length, 2000);
  const fake = await startFakeSlack({ token: 'xoxb-bench' });
  const env = {
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    MODEL: modelDir,
    MODEL_DTYPE: 'fp32',
    INFERENCE_DEVICE: 'cpu',
    INFERENCE_THREADS: String(ENGINE_THREADS),
    INFERENCE_THREAD_NICE: String(nice),
    INFERENCE_SPIN: 'false',
    MAX_NEW_TOKENS: '16',
    CONTEXT_LENGTH: '4096',
    WEBHOOK_RATE_LIMIT: '1000000/minute',
    API_RATE_LIMIT: '1000000/minute',
    API_KEYS: API_KEY,
    RESPONSE_CACHE: 'false',
    LOG_LEVEL: 'info',
  };
  const measure = async (contender: Contender) => {
    const url = `${contender.url}/slack/events`;
    await sendAtRate(url, SECRET, 20, 1); // warm-up: connections, JIT, first answers
    await sleep(2_000);
    const results: Measured[] = [];
    for (const rate of rates) {
      progress(`${rate} events/s for ${seconds} s → ${url}`);
      const before = mainThreadCpuMs(contender.pid);
      const result = await sendAtRate(url, SECRET, rate, seconds);
      await sleep(3_000); // the work after the acks: answers, notices
      const after = mainThreadCpuMs(contender.pid);
      const cpu = before === undefined || after === undefined ? undefined : (after - before) / result.sent;
      results.push({ ...result, cpuMsPerEvent: cpu === undefined ? undefined : Math.round(cpu * 100) / 100 });
    }
    return results;
  };

  progress('teambot serve (engine thread) …');
  const teambot = await startTeambot(runCli, { ...env, INFERENCE_THREAD: 'true' });
  const teambotResults = await measure(teambot);
  await sleep(5_000);
  progress('prefill probe (engine thread) …');
  const prefillThread = await probePrefill(teambot.url, API_KEY, prompt);
  await teambot.stop();

  progress('teambot serve (engine on the main thread): prefill probe …');
  const inProcess = await startTeambot(runCli, { ...env, INFERENCE_THREAD: 'false' });
  const prefillInProcess = await probePrefill(inProcess.url, API_KEY, prompt);
  await inProcess.stop();

  progress('bare Bolt app …');
  const bolt = await startBolt({
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  const boltResults = await measure(bolt);
  await bolt.stop();
  await fake.close();

  const report: AckReport = {
    bench: 'ack',
    model: 'teambot-demo-bench',
    params: parameterCount(spec),
    engineThreads: ENGINE_THREADS,
    engineNice: nice,
    boltVersion: (createRequire(import.meta.url)('@slack/bolt/package.json') as { version: string }).version,
    seconds,
    users: 1000,
    rates: rates.map((rate, i) => {
      const t = teambotResults[i] as Measured;
      const b = boltResults[i] as Measured;
      const tf = latencyFigures(t.latenciesMs);
      const bf = latencyFigures(b.latenciesMs);
      return {
        rate,
        teambot: tf,
        bolt: bf,
        teambotSent: t.sent,
        teambotNon2xx: t.non2xx + t.errors,
        boltSent: b.sent,
        boltNon2xx: b.non2xx + b.errors,
        p99Ratio: Math.round((tf.p99 / bf.p99) * 100) / 100,
        ...(t.cpuMsPerEvent === undefined ? {} : { teambotCpuMsPerEvent: t.cpuMsPerEvent }),
        ...(b.cpuMsPerEvent === undefined ? {} : { boltCpuMsPerEvent: b.cpuMsPerEvent }),
      };
    }),
    prefill: { thread: prefillThread, inProcess: prefillInProcess },
    targets: { ackP99: false, health: prefillThread.health.max <= 100 },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAvg1m: { start: loadStart, end: loadavg()[0] ?? 0 },
    },
    date: new Date().toISOString(),
  };
  report.targets.ackP99 = report.rates.every((r) => r.p99Ratio <= 1.5);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  // Its curve beside docs/benchmarks.md, or under .cache/ when the docs are left alone.
  const charts = values['no-docs'] ? '.cache/bench-charts' : 'docs';
  await writeCharts(charts, ackCharts(report));
  progress(
    `drew ${ackCharts(report)
      .map((c) => c.file)
      .join(', ')} in ${charts}/${CHART_DIR}`,
  );
  if (!values['no-docs']) await writeNamedSection('docs/benchmarks.md', 'ack', renderAckSection(report));
}

await main();
