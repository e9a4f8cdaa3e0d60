import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { helmBinary } from '../../scripts/helm/binary.js';

export const CHART_DIR = new URL('../../deploy/helm/teambot', import.meta.url).pathname;

/** A rendered Kubernetes object (what `helm template` prints between `---`). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML, inspected by the tests
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
  data?: any;
  [key: string]: unknown;
}

export type Values = Record<string, unknown>;

interface HelmRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs helm with `args`, then the chart, `--namespace` and the values as a file. */
export function helm(args: string[], values: Values, options: { namespace?: string } = {}): HelmRun {
  const dir = mkdtempSync(join(tmpdir(), 'teambot-chart-'));
  const file = join(dir, 'values.yaml');
  writeFileSync(file, stringify(values));
  const run = spawnSync(
    helmBinary(),
    [...args, CHART_DIR, '--namespace', options.namespace ?? 'bots', '-f', file],
    { encoding: 'utf8' },
  );
  if (run.error !== undefined) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `helm template <release> deploy/helm/teambot -f values.yaml`: the exit status and output. */
export function helmTemplate(
  values: Values,
  options: { release?: string; namespace?: string } = {},
): HelmRun {
  return helm(['template', options.release ?? 'demo'], values, options);
}

/** Renders the chart and parses every object; throws with helm's message when rendering fails. */
export function render(values: Values, options: { release?: string; namespace?: string } = {}): Manifest[] {
  const run = helmTemplate(values, options);
  if (run.status !== 0) throw new Error(`helm template failed (${run.status}): ${run.stderr}`);
  const docs = parseAllDocuments(run.stdout);
  const objects: Manifest[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as Manifest | null;
    if (value !== null) objects.push(value);
  }
  return objects;
}

/** The one object of this kind and name (throws when there is none or several). */
export function find(objects: Manifest[], kind: string, name: string): Manifest {
  const hits = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${hits.length}`);
  return hits[0] as Manifest;
}

export function ofKind(objects: Manifest[], kind: string): Manifest[] {
  return objects.filter((o) => o.kind === kind);
}
