import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  alertRules,
  dashboardQueries,
  metricNames,
  OPERATIONS_DOC,
  PROMETHEUS_CONFIG,
  RULES_FILE,
  withoutGrafanaVariables,
} from '../helpers/monitoring-files.js';

/** promtool, from Debian's prometheus package (.ci/run installs it). */
function promtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8' });
  if (run.error !== undefined) {
    throw new Error(
      `promtool is missing (apt-get install prometheus; .ci/run installs it): ${run.error.message}`,
    );
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): Set<string> {
  const headings = markdown.split('\n').filter((l) => /^#{1,6} /.test(l));
  return new Set(
    headings.map((h) =>
      h
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('the Prometheus rules and the Grafana dashboard in deploy/', () => {
  it('pass promtool: the rule file, the dashboard queries as recording rules, the scrape config', () => {
    const rules = promtool(['check', 'rules', RULES_FILE]);
    expect(rules.output).toContain('SUCCESS');
    expect(rules.status).toBe(0);

    const dir = mkdtempSync(join(tmpdir(), 'teambot-promtool-'));
    const panels = join(dir, 'dashboard-queries.yml');
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(15);
    writeFileSync(
      panels,
      stringify({
        groups: [
          {
            name: 'dashboard',
            rules: queries.map((q, i) => ({
              record: `dashboard:query_${i}`,
              expr: withoutGrafanaVariables(q.expr),
            })),
          },
        ],
      }),
    );
    const checked = promtool(['check', 'rules', panels]);
    expect(checked.output).toContain(`SUCCESS: ${queries.length} rules found`);

    // The compose Prometheus loads the rules from /etc/prometheus: point it at the repo's copy.
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      readFileSync(PROMETHEUS_CONFIG, 'utf8').replace('/etc/prometheus/teambot-rules.yml', RULES_FILE),
    );
    const scrape = promtool(['check', 'config', config]);
    expect(scrape.output).toContain('SUCCESS');
    expect(scrape.status).toBe(0);
  });

  it('is what docker-compose.yml mounts into Prometheus and Grafana', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { volumes?: string[] }>;
    };
    const mounts = ['prometheus', 'grafana'].flatMap((name) => compose.services[name]?.volumes ?? []);
    const binds = mounts.filter((m) => m.startsWith('./')).map((m) => m.split(':')[0] ?? '');
    expect(binds).toEqual(
      expect.arrayContaining([
        './deploy/prometheus/prometheus.yml',
        './deploy/prometheus/teambot-rules.yml',
        './deploy/grafana/provisioning',
        './deploy/grafana/dashboards',
      ]),
    );
    for (const bind of binds) expect(existsSync(join(root, bind)), bind).toBe(true);
    const datasource = parse(
      readFileSync(join(root, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: Array<{ uid: string }> };
    const dashboard = readFileSync(join(root, 'deploy/grafana/dashboards/teambot.json'), 'utf8');
    expect(dashboard).toContain(`"uid": "${datasource.datasources[0]?.uid}"`);
  });

  it('gives every alert a severity, a summary, a description and a runbook section that exists', () => {
    const sections = anchors(readFileSync(OPERATIONS_DOC, 'utf8'));
    const rules = alertRules();
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'TeambotAckLatencyHigh',
        'TeambotTimeToFirstTokenHigh',
        'TeambotAnswerErrorRateHigh',
        'TeambotBusyRefusals',
        'TeambotQueueDeep',
        'TeambotQueueWaitHigh',
        'TeambotNoHealthyInferenceWorker',
        'TeambotBreakerOpen',
        'TeambotRedisUnreachable',
        'TeambotObjectStoreUnreachable',
        'TeambotLarkConnectionDown',
      ]),
    );
    for (const rule of rules) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(warning|critical)$/);
      expect(rule.annotations?.summary?.length ?? 0, rule.alert).toBeGreaterThan(10);
      expect(rule.annotations?.description ?? '', rule.alert).toMatch(/Check first/);
      const runbook = rule.annotations?.runbook ?? '';
      expect(runbook, rule.alert).toMatch(/^docs\/operations\.md#/);
      expect(sections.has(runbook.replace(/^.*#/, '')), `${rule.alert}: ${runbook}`).toBe(true);
    }
  });

  it('reads the metric names out of queries, label values left out', () => {
    expect(
      metricNames(
        'sum by (le) (rate(teambot_http_request_duration_seconds_bucket{route="teambot_x"}[5m])) / on (job) up{job="a"}',
      ),
    ).toEqual(['teambot_http_request_duration_seconds_bucket', 'up']);
  });

  it('has promtool reject a broken query (the check is not vacuous)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teambot-promtool-'));
    const broken = join(dir, 'broken.yml');
    writeFileSync(
      broken,
      stringify({ groups: [{ name: 'x', rules: [{ alert: 'X', expr: 'sum(rate(teambot_x[5m])' }] }] }),
    );
    expect(promtool(['check', 'rules', broken]).status).not.toBe(0);
    expect(() => execFileSync('promtool', ['--version'], { stdio: 'ignore' })).not.toThrow();
  });
});
