import { afterEach } from 'vitest';
import { createMetrics, type Metrics } from '../../src/metrics/registry.js';
import { createHttpApp, type HttpAppOptions } from '../../src/server/app.js';
import { type RunningHttpServer, startHttpServer } from '../../src/server/lifecycle.js';
import { type CapturedLogger, captureLogger } from '../helpers/capture-logger.js';

export interface TestServer {
  url: string;
  metrics: Metrics;
  log: CapturedLogger;
  running: RunningHttpServer;
}

const open: RunningHttpServer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close(100)));
});

/** A real app listening on 127.0.0.1:0, closed after the test. */
export async function serve(
  options: Partial<Omit<HttpAppOptions, 'logger' | 'metrics'>> = {},
): Promise<TestServer> {
  const log = captureLogger();
  const metrics = createMetrics({ version: '1.2.3' });
  const app = createHttpApp({
    logger: log.logger,
    metrics,
    readiness: async () => ({ ready: true, checks: {} }),
    ...options,
  });
  const running = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger: log.logger });
  open.push(running);
  return { url: running.url, metrics, log, running };
}
