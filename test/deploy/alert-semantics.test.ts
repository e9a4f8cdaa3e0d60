import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { alertRules, RULES_FILE } from '../helpers/monitoring-files.js';

/** One input series for `promtool test rules`: a name with labels and its values, one a minute. */
interface Series {
  series: string;
  values: string;
}

const MINUTES = 15;
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
/** A counter growing by `perMinute`. */
const counter = (name: string, l: Record<string, string>, perMinute: number): Series => ({
  series: `${name}${labels(l)}`,
  values: `0+${perMinute}x${MINUTES}`,
});
/** A gauge holding `value`. */
const gauge = (name: string, l: Record<string, string>, value: number): Series => ({
  series: `${name}${labels(l)}`,
  values: `${value}x${MINUTES}`,
});
/** A histogram's cumulative buckets, each growing by its count a minute (`+Inf` = the total). */
function histogram(
  name: string,
  l: Record<string, string>,
  perMinuteAtOrBelow: Record<string, number>,
): Series[] {
  return Object.entries(perMinuteAtOrBelow).map(([le, n]) => counter(`${name}_bucket`, { ...l, le }, n));
}

const gw = { job: 'teambot', instance: 'g1:3000' };
const wk = { job: 'teambot-worker', instance: 'w1:3000' };
const ACK = 'teambot_http_request_duration_seconds';
const slackAck = { ...gw, method: 'POST', route: '/slack/events', status: '200' };
const fastAcks = histogram(ACK, slackAck, {
  '0.1': 100,
  '0.5': 100,
  '1': 100,
  '2.5': 100,
  '5': 100,
  '+Inf': 100,
});
const slowAcks = histogram(ACK, slackAck, {
  '0.1': 50,
  '0.5': 90,
  '1': 100,
  '2.5': 100,
  '5': 100,
  '+Inf': 100,
});
const awfulAcks = histogram(ACK, slackAck, {
  '0.1': 0,
  '0.5': 50,
  '1': 60,
  '2.5': 90,
  '5': 100,
  '+Inf': 100,
});
const wait = (name: string, slow: boolean) =>
  histogram(
    name,
    { ...wk, engine: 'onnx' },
    slow ? { '1': 50, '4': 90, '8': 100, '+Inf': 100 } : { '1': 100, '4': 100, '8': 100, '+Inf': 100 },
  );
const turns = counter('teambot_pipeline_messages_total', { ...gw, stage: 'route', outcome: 'text' }, 1000);
const turnErrors = (outcome: string, perMinute: number) =>
  counter('teambot_pipeline_messages_total', { ...gw, stage: 'error', outcome }, perMinute);
const api = (status: string, perMinute: number) =>
  counter(`${ACK}_count`, { ...gw, method: 'POST', route: '/v1/chat/completions', status }, perMinute);

/** For each alert: series that must make its expression true, and similar ones that must not. */
const SCENARIOS: Record<string, { firing: Series[]; quiet: Series[] }> = {
  TeambotAckLatencyHigh: { firing: slowAcks, quiet: fastAcks },
  TeambotAckNearPlatformBudget: { firing: awfulAcks, quiet: slowAcks },
  TeambotTimeToFirstTokenHigh: {
    firing: wait('teambot_time_to_first_token_seconds', true),
    quiet: wait('teambot_time_to_first_token_seconds', false),
  },
  // 0.2 % internal errors fire; busy and usage errors (told to the user, not failures) do not count.
  TeambotAnswerErrorRateHigh: {
    firing: [turns, turnErrors('internal', 2)],
    quiet: [turns, turnErrors('engine_busy', 50), turnErrors('usage', 10), turnErrors('internal', 0)],
  },
  TeambotApiErrorRateHigh: {
    firing: [api('200', 1000), api('500', 2)],
    quiet: [api('200', 1000), api('503', 50)],
  },
  TeambotBusyRefusals: {
    firing: [counter('teambot_inference_rejections_total', { ...wk, reason: 'busy' }, 10)],
    quiet: [counter('teambot_inference_rejections_total', { ...wk, reason: 'busy' }, 1)],
  },
  TeambotQueueDeep: {
    firing: [gauge('teambot_inference_queue_depth', wk, 40)],
    quiet: [gauge('teambot_inference_queue_depth', wk, 5)],
  },
  TeambotQueueWaitHigh: {
    firing: wait('teambot_inference_queue_wait_seconds', true),
    quiet: wait('teambot_inference_queue_wait_seconds', false),
  },
  TeambotNoHealthyInferenceWorker: {
    firing: [gauge('teambot_inference_workers', { ...gw, state: 'healthy' }, 0)],
    quiet: [gauge('teambot_inference_workers', { ...gw, state: 'healthy' }, 1)],
  },
  TeambotInferenceWorkerDown: {
    firing: [gauge('teambot_inference_worker_up', { ...gw, worker: 'http://w1:3000' }, 0)],
    quiet: [gauge('teambot_inference_worker_up', { ...gw, worker: 'http://w1:3000' }, 1)],
  },
  TeambotBreakerOpen: {
    firing: [gauge('teambot_backend_breaker_state', { ...gw, backend: 'remote' }, 2)],
    quiet: [gauge('teambot_backend_breaker_state', { ...gw, backend: 'remote' }, 1)],
  },
  TeambotRedisUnreachable: {
    firing: [gauge('teambot_dependency_up', { ...gw, dependency: 'kv' }, 0)],
    quiet: [
      gauge('teambot_dependency_up', { ...gw, dependency: 'kv' }, 1),
      gauge('teambot_dependency_up', { ...gw, dependency: 'objects' }, 0),
    ],
  },
  TeambotObjectStoreUnreachable: {
    firing: [gauge('teambot_dependency_up', { ...gw, dependency: 'objects' }, 0)],
    quiet: [
      gauge('teambot_dependency_up', { ...gw, dependency: 'objects' }, 1),
      gauge('teambot_dependency_up', { ...gw, dependency: 'kv' }, 0),
    ],
  },
  TeambotLarkConnectionDown: {
    firing: [gauge('teambot_lark_connection_up', gw, 0)],
    quiet: [gauge('teambot_lark_connection_up', gw, 1)],
  },
  TeambotDown: {
    firing: [gauge('up', gw, 0)],
    quiet: [gauge('up', gw, 1), gauge('up', { job: 'node', instance: 'n1:9100' }, 0)],
  },
};

describe('what the alert rules fire on (promtool test rules over synthetic series)', () => {
  it('has a firing and a quiet scenario for every alert', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(
      alertRules()
        .map((r) => r.alert)
        .sort(),
    );
  });

  it("makes each alert's expression true in its firing scenario and empty in its quiet one", () => {
    const dir = mkdtempSync(join(tmpdir(), 'teambot-alerts-'));
    copyFileSync(RULES_FILE, join(dir, 'teambot-rules.yml'));
    const tests = alertRules().flatMap((rule) => {
      const scenario = SCENARIOS[rule.alert];
      if (scenario === undefined) return [];
      const check = (input: Series[], firing: boolean) => ({
        name: `${rule.alert} ${firing ? 'fires' : 'stays quiet'}`,
        interval: '1m',
        input_series: input,
        promql_expr_test: [
          {
            expr: `count(${rule.expr.trim()})`,
            eval_time: `${MINUTES - 1}m`,
            exp_samples: firing ? [{ labels: '{}', value: 1 }] : [],
          },
        ],
      });
      return [check(scenario.firing, true), check(scenario.quiet, false)];
    });
    const file = join(dir, 'teambot-rules.test.yml');
    writeFileSync(file, stringify({ rule_files: ['teambot-rules.yml'], evaluation_interval: '1m', tests }));
    const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    if (run.error !== undefined)
      throw new Error(`promtool is missing (apt-get install prometheus): ${run.error.message}`);
    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
    expect(run.status).toBe(0);
  });
});
