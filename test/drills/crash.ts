/**
 * `npm run drill:crash -- --gateways 3 --workers 2 --events 1000 --kills 6`: N `teambot serve`
 * gateways and M `teambot worker` processes on one Redis and a fake Slack, a stream of events
 * (a fifth delivered to two gateways), and repeated SIGKILLs of gateways and workers, each
 * started again a moment later. Prints one JSON line: lost and duplicated answers (goal 0 and 0)
 * and the answer delay a crash adds (median of the answers a gateway's death interrupted, less the
 * median of the others). `--workers 0` answers with a fake OpenAI server instead (fast, for a smoke
 * run). `--doc` writes the result into docs/drills.md.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startRedisServer } from '../../bench/limits/redis-server.js';
import { appMention, envelope, nextTs } from '../bot/adapters/slack/payloads.js';
import { startFakeOpenAI } from '../helpers/fake-openai.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { deliver, type Gateway, startGateway } from '../helpers/gateways.js';
import { signJson } from '../helpers/slack-signing.js';
import { startWorkerProcess, WORKER_KEY, type WorkerProcess } from '../helpers/worker-process.js';
import { demoModelDir } from '../inference/onnx/models.js';

const { values } = parseArgs({
  options: {
    gateways: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    events: { type: 'string', default: '1000' },
    kills: { type: 'string', default: '6' },
    rate: { type: 'string', default: '40' },
    doc: { type: 'boolean', default: false },
    log: { type: 'string' },
  },
});
const N = Number(values.gateways);
const M = Number(values.workers);
const EVENTS = Number(values.events);
const KILLS = Number(values.kills);
const RATE = Number(values.rate);
const SECRET = 'drill-signing-secret';

const redis = await startRedisServer();
const slack = await startFakeSlack();
const openai = M === 0 ? await startFakeOpenAI({ behavior: { chunkSize: 4, delayMs: 15 } }) : undefined;
const modelDir = M === 0 ? '' : await demoModelDir();
const workers: WorkerProcess[] = [];
for (let i = 0; i < M; i += 1) workers.push(await startWorkerProcess(modelDir));
const engineEnv = (): Record<string, string> =>
  openai === undefined
    ? {
        ENGINE_URLS: workers.map((w) => w.url).join(','),
        ENGINE_API_KEY: WORKER_KEY,
        MAX_NEW_TOKENS: '24',
        TEMPERATURE: '0',
      }
    : { OPENAI_BASE_URL: openai.url, OPENAI_MODEL: 'fake-model' };
const env = (): Record<string, string> => ({
  SLACK_BOT_TOKEN: slack.token,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: slack.apiUrl,
  REDIS_URL: redis.url,
  TURN_LOCK_MS: '2000',
  TURN_BURST_WINDOW_MS: '300',
  PERMISSIONS_FILE: '/nonexistent/permissions.json',
  ...engineEnv(),
});
const gateways: Gateway[] = await Promise.all(
  Array.from({ length: N }, (_, i) => startGateway(`g${i}`, env())),
);
/** Every gateway process ever started (killed ones included): their logs say what they answered. */
const everyGateway: Gateway[] = [...gateways];

const sentAt = new Map<string, number>();
const killTimes: number[] = [];
const alive = () => gateways.filter((g) => g.alive);
const pick = (i: number) => {
  const up = alive();
  return up[i % up.length] as Gateway;
};

async function sendEvents(): Promise<void> {
  const gap = 1000 / RATE;
  for (let i = 0; i < EVENTS; i += 1) {
    const ts = nextTs();
    sentAt.set(ts, Date.now());
    const event = envelope(
      appMention({ text: `<@${slack.botUserId}> drill ${i}`, ts, channel: 'C1' }),
      `EvDrill${i}x${ts}`,
    );
    const targets = i % 5 === 0 && alive().length > 1 ? [pick(i), pick(i + 1)] : [pick(i)];
    const statuses = await Promise.all(
      targets.map((g) => deliver(g, '/slack/events', signJson(SECRET, event))),
    );
    // A gateway killed while the request was on its way: deliver again elsewhere (as Slack retries).
    for (let retry = 0; !statuses.includes(200) && retry < 50; retry += 1) {
      statuses.push(await deliver(pick(i + retry + 1), '/slack/events', signJson(SECRET, event)));
      if (!statuses.includes(200)) await sleep(100);
    }
    await sleep(gap);
  }
}

async function crashes(): Promise<void> {
  const every = ((EVENTS / RATE) * 1000) / (KILLS + 1);
  for (let k = 0; k < KILLS; k += 1) {
    await sleep(every);
    const killWorker = M > 1 && k % 3 === 2;
    if (killWorker) {
      const index = k % M;
      const worker = workers[index] as WorkerProcess;
      worker.cli.child.kill('SIGKILL');
      await worker.cli.exited;
      killTimes.push(Date.now());
      // Kubernetes starts the pod again behind the same address (a StatefulSet's DNS name): here,
      // a new process on the same port, which the gateways' ENGINE_URLS already name.
      const port = new URL(worker.url).port;
      restarts.push(
        startWorkerProcess(modelDir, { PORT: port }).then((w) => {
          workers[index] = w;
        }),
      );
      continue;
    }
    // Never the last gateway standing: wait for a restarted one first (Kubernetes keeps replicas).
    while (alive().length < 2) await sleep(100);
    const victim = alive()[k % alive().length] as Gateway;
    await victim.kill();
    killTimes.push(Date.now());
    const index = gateways.indexOf(victim);
    // Kubernetes starts a new pod; here, a new process a moment later.
    restarts.push(
      startGateway(`${victim.name}r`, env()).then((g) => {
        gateways[index] = g;
        everyGateway.push(g);
      }),
    );
  }
}

/** Gateways and workers being started again after a kill (awaited before the end, so none is left behind). */
const restarts: Promise<void>[] = [];

/** Stops every process this drill started, whatever happened. */
async function cleanUp(): Promise<void> {
  await Promise.allSettled(restarts);
  await Promise.all(everyGateway.filter((g) => g.alive).map((g) => g.kill()));
  await Promise.all(workers.map((w) => w.stop().catch(() => {})));
  await slack.close();
  await openai?.close();
  await redis.stop();
}
process.on('uncaughtException', (error) => {
  console.error(error);
  void cleanUp().finally(() => process.exit(2));
});

await Promise.all([sendEvents(), crashes()]);
await Promise.allSettled(restarts);
const threads = [...sentAt.keys()];
const replies = (thread: string) =>
  slack.messages.filter((m) => m.threadTs === thread && m.kind !== 'ephemeral');
const deadline = Date.now() + 60_000;
while (Date.now() < deadline && threads.some((t) => !replies(t).some((m) => !m.streaming && m.text !== ''))) {
  await sleep(250);
}
await sleep(1_500);
/**
 * The tiny demo model sometimes answers with nothing visible (no message is posted then): such a
 * turn was answered (a gateway logged `answered` for it), not lost.
 */
const logs = everyGateway.map((g) => g.process.stdout()).join('\n');
const answeredEmpty = (thread: string) =>
  new RegExp(`"messageId":"C1:${thread.replace('.', '\\.')}"[^\n]*"msg":"answered"`).test(logs);
const unanswered = threads.filter((t) => !replies(t).some((m) => !m.streaming && m.text !== ''));
const empty = unanswered.filter(answeredEmpty).length;
const lost = unanswered.length - empty;
const duplicated = threads.filter((t) => replies(t).length > 1).length;
/** When a thread's answer was last written (its final text). */
const doneAt = (thread: string) => {
  const ts = replies(thread)[0]?.ts;
  const writes = slack.calls.filter(
    (c) => c.args.ts === ts || (c.args.thread_ts === thread && c.method !== 'assistant.threads.setStatus'),
  );
  return Math.max(...writes.map((c) => c.at));
};
// A recovered answer is rewritten with chat.update on the message a dead gateway began.
const recovered = new Set(
  threads.filter((t) => {
    const ts = replies(t)[0]?.ts;
    return ts !== undefined && slack.calls.some((c) => c.method === 'chat.update' && c.args.ts === ts);
  }),
);
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] as number);
};
const latency = (t: string) => doneAt(t) - (sentAt.get(t) ?? 0);
const answered = threads.filter((t) => replies(t).length > 0);
const normal = median(answered.filter((t) => !recovered.has(t)).map(latency));
const crashed = median([...recovered].map(latency));
const result = {
  drill: 'crash',
  gateways: N,
  workers: M,
  events: EVENTS,
  kills: killTimes.length,
  lost,
  duplicated,
  emptyAnswers: empty,
  recoveredAnswers: recovered.size,
  medianAnswerMs: Math.round(normal),
  medianRecoveredAnswerMs: Math.round(crashed),
  addedDelayMs: recovered.size === 0 ? 0 : Math.round(crashed - normal),
};
console.log(JSON.stringify(result));
if (values.log !== undefined) {
  const lostThreads = unanswered.filter((t) => !answeredEmpty(t));
  await writeFile(
    values.log,
    `lost: ${lostThreads.join(' ')}\n${everyGateway.map((g) => `== ${g.name}\n${g.process.stdout()}${g.process.stderr()}`).join('\n')}`,
  );
}

await cleanUp();
if (values.doc) await writeDoc(result);
process.exit(lost === 0 && duplicated === 0 ? 0 : 1);

async function writeDoc(r: typeof result): Promise<void> {
  const file = new URL('../../docs/drills.md', import.meta.url);
  const text = await readFile(file, 'utf8');
  const start = text.indexOf('<!-- drill:crash -->');
  const end = text.indexOf('<!-- /drill:crash -->');
  if (start < 0 || end < 0) return;
  const table = [
    '| gateways | workers | events | kills | lost | duplicated | recovered answers | median answer | median recovered answer | added delay |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${r.gateways} | ${r.workers} | ${r.events} | ${r.kills} | ${r.lost} | ${r.duplicated} | ${r.recoveredAnswers} | ${r.medianAnswerMs} ms | ${r.medianRecoveredAnswerMs} ms | ${r.addedDelayMs} ms |`,
  ].join('\n');
  await writeFile(file, `${text.slice(0, start)}<!-- drill:crash -->\n${table}\n${text.slice(end)}`);
}
