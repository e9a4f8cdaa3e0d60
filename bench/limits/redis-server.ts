import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server of our own (the bench, and tests that stop Redis mid-way). */
export interface OwnRedis {
  url: string;
  port: number;
  /** Stops it (SIGKILL by default: the way a crash looks to clients). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Persistence for a redis-server that is restarted with its data (`dir` is kept at stop). */
export interface RedisPersistence {
  dir: string;
}

/**
 * Starts redis-server on `port` (default: a free one; give the old one to restart after a stop).
 * With `persist`, every write goes to an append-only file in `persist.dir` (fsync always), so a
 * restart on the same port and dir comes back with the data.
 */
export async function startRedisServer(port?: number, persist?: RedisPersistence): Promise<OwnRedis> {
  port ??= await freePort();
  const dir = persist?.dir ?? (await mkdtemp(join(tmpdir(), 'teambot-own-redis-')));
  const durability =
    persist === undefined ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'always'];
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...durability, '--dir', dir],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`redis-server did not start on port ${port}: ${String(error)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  probe.disconnect();
  return {
    url,
    port,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exited;
      }
      if (persist === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
