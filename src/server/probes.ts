import { Router } from 'express';
import type { Metrics } from '../metrics/registry.js';
import { type ReadinessReport, settle } from './readiness.js';

export interface ProbeOptions {
  metrics: Pick<Metrics, 'render'>;
  readiness: () => Promise<ReadinessReport>;
  /** Upper bound for the whole readiness callback (each check has its own bound in runReadiness). */
  readinessTimeoutMs: number;
}

/** GET /health (liveness, no dependencies), GET /ready (dependencies), GET /metrics (Prometheus). */
export function probeRouter(options: ProbeOptions): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    const report = await reportOrFailure(options.readiness, options.readinessTimeoutMs);
    res
      .status(report.ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .json(report);
  });

  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await options.metrics.render();
    res.set('content-type', contentType).set('cache-control', 'no-store').send(body);
  });

  return router;
}

/** The caller's report; a throw or a timeout of the callback itself becomes a not-ready report. */
async function reportOrFailure(
  readiness: () => Promise<ReadinessReport>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  let report: ReadinessReport | undefined;
  const outcome = await settle(async () => {
    report = await readiness();
    return { ok: true, detail: 'ok' };
  }, timeoutMs);
  if (outcome.ok && report !== undefined) return report;
  return { ready: false, checks: { readiness: outcome } };
}
