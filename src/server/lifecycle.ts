import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.js';

export {
  type Deadline,
  installShutdown,
  type ProcessEvents,
  type ShutdownHandle,
  type ShutdownOptions,
  type ShutdownStep,
} from './shutdown.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
}

export interface RunningHttpServer {
  server: Server;
  /** Base URL actually bound (the real port when asked for 0). */
  url: string;
  /**
   * Stops accepting connections, closes idle keep-alive ones, lets requests in
   * flight finish for up to `timeoutMs`, then destroys whatever is left.
   * Resolves true when everything finished in time. Safe to call twice.
   */
  close(timeoutMs: number): Promise<boolean>;
}

const IDLE_SWEEP_MS = 50;

/** Listens on host:port and resolves once bound (rejects on EADDRINUSE and the like). */
export async function startHttpServer(
  app: RequestListener,
  options: HttpServerOptions,
): Promise<RunningHttpServer> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = baseUrl(server.address() as AddressInfo);
  options.logger.info({ url }, 'http server listening');

  let closing: Promise<boolean> | undefined;
  const close = (timeoutMs: number) => {
    closing ??= drain(server, timeoutMs, options.logger);
    return closing;
  };
  return { server, url, close };
}

function drain(server: Server, timeoutMs: number, logger: Logger): Promise<boolean> {
  return new Promise((resolve) => {
    let forced = false;
    // Keep-alive connections become idle as their last response ends; close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(
      () => {
        forced = true;
        logger.warn(
          { timeoutMs },
          'http requests still in flight at the deadline; closing their connections',
        );
        server.closeAllConnections();
      },
      Math.max(0, timeoutMs),
    );
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      if (error !== undefined) logger.error({ err: error }, 'http server close failed');
      resolve(!forced);
    });
    server.closeIdleConnections();
  });
}

function baseUrl(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
