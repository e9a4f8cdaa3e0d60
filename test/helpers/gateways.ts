import { type CliProcess, runCli } from './cli-process.js';

/** A `teambot serve` child process and its base URL. */
export interface Gateway {
  name: string;
  url: string;
  process: CliProcess;
  alive: boolean;
  /** SIGKILL: the way a crashed pod looks to everyone else. */
  kill(): Promise<void>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | string>;
  /** The value of a metric without labels on its /metrics (0 when absent). */
  metric(name: string): Promise<number>;
}

/** Starts `teambot serve` with `env` and waits until it listens and answers on its platforms. */
export async function startGateway(
  name: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Gateway> {
  const process = runCli(['serve'], { PORT: '0', HOST: '127.0.0.1', ...env });
  const [line] = await process.waitForStdout(/.*"msg":"http server listening".*/, timeoutMs);
  const { url } = JSON.parse(line) as { url: string };
  await process.waitForStdout(/teambot is running/, timeoutMs);
  const gateway: Gateway = {
    name,
    url,
    process,
    alive: true,
    async kill() {
      gateway.alive = false;
      process.child.kill('SIGKILL');
      await process.exited;
    },
    async stop() {
      gateway.alive = false;
      process.child.kill('SIGTERM');
      return process.exited;
    },
    async metric(metric) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const match = text.match(new RegExp(`^${metric} ([0-9.e+-]+)$`, 'm'));
      return match === null ? 0 : Number(match[1]);
    },
  };
  return gateway;
}

/** Posts a signed/encrypted delivery; resolves with the HTTP status (0 when the gateway is gone). */
export async function deliver(
  gateway: Gateway,
  path: string,
  request: { body: string; headers: Record<string, string> },
): Promise<number> {
  try {
    return (await fetch(`${gateway.url}${path}`, { method: 'POST', ...request })).status;
  } catch {
    return 0;
  }
}

/** Stops every gateway still running (afterAll). */
export async function stopAll(gateways: Gateway[]): Promise<void> {
  await Promise.all(gateways.filter((g) => g.alive).map((g) => g.kill()));
}
