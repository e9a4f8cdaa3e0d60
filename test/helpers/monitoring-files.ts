import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;

export const RULES_FILE = `${ROOT}deploy/prometheus/teambot-rules.yml`;
export const PROMETHEUS_CONFIG = `${ROOT}deploy/prometheus/prometheus.yml`;
export const DASHBOARD_FILE = `${ROOT}deploy/grafana/dashboards/teambot.json`;
export const OPERATIONS_DOC = `${ROOT}docs/operations.md`;

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface DashboardQuery {
  panel: string;
  expr: string;
}

export function alertRules(): AlertRule[] {
  const doc = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ rules: AlertRule[] }> };
  return doc.groups.flatMap((g) => g.rules);
}

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

export function dashboardQueries(): DashboardQuery[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: Panel[] };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}

/** Grafana's interval variables, replaced so that promtool can parse the query. */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m');
}

/** Metrics Prometheus makes itself rather than scraping them. */
export const PROMETHEUS_OWN = new Set(['up']);
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

/** The metric names a query reads: teambot's and Node's series (strings, i.e. label values, left out). */
export function metricNames(expr: string): string[] {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names = new Set(code.match(/\b(?:teambot|nodejs|process)_[a-z0-9_]+\b/g) ?? []);
  if (/\bup\s*\{/.test(code)) names.add('up');
  return [...names];
}

/** The family a series name belongs to (a histogram's `_bucket`, `_sum`, `_count` → the histogram). */
export function familyOf(name: string, families: ReadonlySet<string>): string {
  if (families.has(name)) return name;
  const base = name.replace(HISTOGRAM_SERIES, '');
  return families.has(base) ? base : name;
}

/** `# TYPE name kind` lines of a Prometheus text exposition. */
export function exportedFamilies(exposition: string): Set<string> {
  const families = new Set<string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) \S+$/.exec(line);
    if (match?.[1] !== undefined) families.add(match[1]);
  }
  return families;
}
