import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../bench/limits/redis-server.js';
import { useTestFonts } from '../fonts/setup.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Redis for integration tests: REDIS_URL, or a redis-server started for this run. */
    redisUrl: string;
    /** The same Redis over a unix socket (`unix:///…`), or '' when REDIS_URL was given. */
    redisSocketUrl: string;
  }
}

interface RunningRedis {
  url: string;
  socketUrl: string;
  stop(): Promise<void>;
}

/**
 * Points fontconfig at the fonts from npm packages (every test process inherits FONTCONFIG_FILE),
 * then starts a throwaway redis-server unless REDIS_URL points at one; tests get its URL with inject().
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  useTestFonts();
  const configured = process.env.REDIS_URL?.trim();
  if (configured) {
    project.provide('redisUrl', configured);
    project.provide('redisSocketUrl', '');
    return undefined;
  }
  const redis = await startRedisWithRetries(3);
  project.provide('redisUrl', redis.url);
  project.provide('redisSocketUrl', redis.socketUrl);
  return () => redis.stop();
}

async function startRedisWithRetries(attempts: number): Promise<RunningRedis> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await startRedis(await freePort());
    } catch (error) {
      if (error instanceof RedisMissingError) throw error;
      lastError = error;
    }
  }
  throw new Error(`could not start redis-server for the tests: ${String(lastError)}`);
}

class RedisMissingError extends Error {}

async function startRedis(port: number): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-redis-'));
  const socket = join(dir, 'redis.sock');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(
    'redis-server',
    [...args, '--dir', dir, '--unixsocket', socket, '--unixsocketperm', '700'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const stop = async () => {
    await killAndWait(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(child, port, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, socketUrl: `unix://${socket}`, stop };
}

async function waitForPing(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new RedisMissingError(
              'redis-server is not installed; the storage tests need it (apt-get install redis-server), or set REDIS_URL',
            )
          : error,
      );
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output().trim()}`)));
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const answered = await Promise.race([ping(port), exited]);
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 10 s: ${output().trim()}`);
}

/** True when a Redis on 127.0.0.1:port answers PING. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
