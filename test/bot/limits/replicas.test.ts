import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RedisLimiterStore } from '../../../src/bot/limits/redis-store.js';
import { redisUrlForTests, usePrefixes } from '../../helpers/redis.js';

const prefix = usePrefixes();
const CHILD = new URL('./child-decide.ts', import.meta.url).pathname;

/** Starts the child; `ready` resolves with a `go()` once it is connected, `done` with its count. */
function runChild(args: string[]) {
  let onReady: (go: () => void) => void = () => undefined;
  const ready = new Promise<() => void>((resolve) => {
    onReady = resolve;
  });
  const done = new Promise<{ allowed: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.startsWith('ready\n')) {
        out = out.slice('ready\n'.length);
        onReady(() => child.stdin.end('go\n'));
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.trim()) as { allowed: number });
    });
  });
  return { ready, done };
}

describe('limiter across processes', () => {
  it('two processes sharing Redis enforce one limit: exactly 10 allowed in total', async () => {
    const url = redisUrlForTests();
    const p = prefix();
    const store = new RedisLimiterStore({ url, prefix: p });
    const key = 'rl:u:slack:T1:U1:60000';
    const child = runChild([url, p, key, '10', '50']);
    await store.peek([{ key: 'warm', limit: 1, periodMs: 1_000, cost: 1, consume: false }]);
    (await child.ready)();
    const here = await Promise.all(
      Array.from({ length: 50 }, () =>
        store.decide({ windows: [{ key, limit: 10, periodMs: 60_000, cost: 1, consume: true }] }),
      ),
    );
    const there = await child.done;
    expect(here.filter((d) => d.allowed).length + there.allowed).toBe(10);
    await store.close();
  });
});
