import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CuttableProxy {
  url: string;
  /** Requests forwarded so far. */
  forwarded(): number;
  /** From now on every request's connection is dropped (the storage "goes down"). */
  cut(): void;
  /** Forwards again. */
  restore(): void;
  /** Cuts right after the response to the `n`-th request has been sent. */
  cutAfter(n: number): void;
  close(): Promise<void>;
}

/** An HTTP proxy in front of `target` (e.g. s3rver) that a test can cut at a chosen request. */
export async function cuttableProxy(target: string): Promise<CuttableProxy> {
  const upstream = new URL(target);
  let down = false;
  let count = 0;
  let cutAt = Number.POSITIVE_INFINITY;
  const server = createServer((req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    count += 1;
    const number = count;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => {
          if (number >= cutAt) down = true;
        });
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded: () => count,
    cut: () => {
      down = true;
    },
    restore: () => {
      down = false;
      cutAt = Number.POSITIVE_INFINITY;
    },
    cutAfter: (n) => {
      cutAt = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
