import type { RequestListener } from 'node:http';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { installShutdown, type ShutdownStep, startHttpServer } from '../server/lifecycle.js';

/**
 * Listens on HOST:PORT (on failure: logs, closes the runtime and exits 1), then installs the
 * graceful shutdown: stop accepting and finish requests in flight, then `steps`.
 */
export async function listenWithShutdown(
  app: RequestListener,
  options: {
    config: Pick<Config, 'HOST' | 'PORT' | 'SHUTDOWN_TIMEOUT_MS'>;
    logger: Logger;
    runtime: { close(): Promise<void> };
    steps: ShutdownStep[];
  },
): Promise<{ url: string }> {
  const { config, logger } = options;
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    http = await startHttpServer(app, { host: config.HOST, port: config.PORT, logger });
  } catch (error) {
    logger.fatal({ err: error }, `cannot listen on ${config.HOST}:${config.PORT}`);
    await options.runtime.close();
    process.exit(1);
  }
  installShutdown({
    logger,
    deadlineMs: config.SHUTDOWN_TIMEOUT_MS,
    steps: [
      {
        name: 'stop accepting requests',
        run: async (deadline) => void (await http.close(deadline.remainingMs())),
      },
      ...options.steps,
    ],
  });
  return { url: http.url };
}
