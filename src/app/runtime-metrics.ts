import type { Registry } from 'prom-client';
import type { InferenceEngine } from '../inference/types.js';
import { reportDependencies } from '../metrics/dependency-up.js';
import { reportEngineLoad } from '../metrics/engine-load.js';
import { type ReadinessCheck, runReadiness } from '../server/readiness.js';

/** A scrape waits at most this long for the dependency checks (Prometheus' own timeout is 10 s). */
const SCRAPE_CHECK_MS = 1_500;

/** Gauges read at scrape time: the engine's rows, and each readiness check as `teambot_dependency_up`. */
export function reportRuntime(
  registry: Registry,
  engine: InferenceEngine,
  checks: Record<string, ReadinessCheck>,
): void {
  reportEngineLoad(registry, () => engine.load?.());
  reportDependencies(registry, async () => (await runReadiness(checks, SCRAPE_CHECK_MS)).checks);
}
