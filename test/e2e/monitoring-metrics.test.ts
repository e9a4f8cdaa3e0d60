import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLarkWs, startFakeLarkWs } from '../bot/adapters/lark/fake-ws.js';
import { appMention, envelope } from '../bot/adapters/slack/payloads.js';
import { type CliProcess, runCli } from '../helpers/cli-process.js';
import { type FakeLark, startFakeLark } from '../helpers/fake-lark.js';
import { type FakeSlack, startFakeSlack, waitFor } from '../helpers/fake-slack.js';
import {
  alertRules,
  dashboardQueries,
  exportedFamilies,
  familyOf,
  metricNames,
  PROMETHEUS_OWN,
} from '../helpers/monitoring-files.js';
import { signJson } from '../helpers/slack-signing.js';
import { startWorkerProcess, WORKER_KEY, type WorkerProcess } from '../helpers/worker-process.js';
import { demoModelDir } from '../inference/onnx/models.js';

const SECRET = 'monitoring-signing-secret';
let slack: FakeSlack;
let lark: FakeLark;
let larkWs: FakeLarkWs;
let worker: WorkerProcess;
let gateway: CliProcess;
let gatewayUrl: string;

beforeAll(async () => {
  slack = await startFakeSlack();
  lark = await startFakeLark();
  larkWs = await startFakeLarkWs();
  lark.setWsUrl(larkWs.url);
  worker = await startWorkerProcess(await demoModelDir());
  gateway = runCli(['serve'], {
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    LARK_APP_ID: lark.appId,
    LARK_APP_SECRET: lark.appSecret,
    LARK_DOMAIN: lark.url,
    LARK_MODE: 'ws',
    ENGINE_URLS: worker.url,
    ENGINE_API_KEY: WORKER_KEY,
    ENGINE_HEALTH_INTERVAL_MS: '200',
    MAX_NEW_TOKENS: '8',
  });
  const [line] = await gateway.waitForStdout(/.*"msg":"http server listening".*/, 60_000);
  gatewayUrl = (JSON.parse(line) as { url: string }).url;
  await gateway.waitForStdout(/teambot is running; answering on/, 30_000);
}, 120_000);

afterAll(async () => {
  if (gateway !== undefined && gateway.child.exitCode === null) gateway.child.kill('SIGTERM');
  await gateway?.exited;
  await worker?.stop();
  await Promise.all([slack?.close(), lark?.close(), larkWs?.close()]);
});

const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();

/** One series' value in an exposition (NaN when absent). */
function seriesValue(exposition: string, series: string): number {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

describe('the metrics the alert rules and the dashboard read, scraped from a running gateway and worker', () => {
  it('are all exported (a renamed metric fails here), and the new gauges say what is up', async () => {
    // One Slack turn through gateway → worker, so the answer's metrics have observations too.
    const mention = appMention({ text: `<@${slack.botUserId}> hello monitoring` });
    const delivery = signJson(SECRET, envelope(mention));
    expect((await fetch(`${gatewayUrl}/slack/events`, { method: 'POST', ...delivery })).status).toBe(200);
    await waitFor(
      () => (slack.callsTo('chat.stopStream').length > 0 ? true : undefined),
      'the streamed reply to end',
      30_000,
    );

    const [gatewayText, workerText] = await Promise.all([scrape(gatewayUrl), scrape(worker.url)]);
    const families = new Set([...exportedFamilies(gatewayText), ...exportedFamilies(workerText)]);

    const named = new Map<string, string>();
    for (const rule of alertRules()) {
      const text = [rule.expr, rule.annotations?.description ?? ''].join('\n');
      for (const name of metricNames(text)) named.set(name, `alert ${rule.alert}`);
    }
    for (const query of dashboardQueries()) {
      for (const name of metricNames(query.expr)) named.set(name, `panel "${query.panel}"`);
    }
    expect(named.size).toBeGreaterThan(20);
    const missing = [...named]
      .filter(([name]) => !PROMETHEUS_OWN.has(name) && !families.has(familyOf(name, families)))
      .map(([name, where]) => `${name} (${where})`);
    expect(missing).toEqual([]);

    expect(seriesValue(gatewayText, 'teambot_lark_connection_up')).toBe(1);
    expect(seriesValue(gatewayText, 'teambot_inference_workers{state="healthy"}')).toBe(1);
    expect(seriesValue(gatewayText, `teambot_inference_worker_up{worker="${worker.url}"}`)).toBe(1);
    expect(seriesValue(gatewayText, 'teambot_dependency_up{dependency="kv"}')).toBe(1);
    expect(seriesValue(gatewayText, 'teambot_dependency_up{dependency="objects"}')).toBe(1);
    expect(seriesValue(gatewayText, 'teambot_messages_received_total{platform="slack"}')).toBe(1);
    expect(seriesValue(workerText, 'teambot_engine_rows{state="capacity"}')).toBe(16);
    expect(
      seriesValue(workerText, 'teambot_inference_queue_wait_seconds_count{engine="onnx"}'),
    ).toBeGreaterThan(0);
  }, 60_000);
});
