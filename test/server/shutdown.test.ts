import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { installShutdown, type ShutdownHandle, type ShutdownStep } from '../../src/server/lifecycle.js';
import { captureLogger } from '../helpers/capture-logger.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const handles: ShutdownHandle[] = [];
afterEach(() => {
  for (const handle of handles.splice(0)) handle.dispose();
});

function setup(steps: ShutdownStep[], deadlineMs = 1_000) {
  const events = new EventEmitter();
  const log = captureLogger();
  const exits: number[] = [];
  let exited: (code: number) => void = () => {};
  const exitedOnce = new Promise<number>((resolve) => {
    exited = resolve;
  });
  const handle = installShutdown({
    logger: log.logger,
    deadlineMs,
    steps,
    events,
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  });
  handles.push(handle);
  return { events, log, exits, exitedOnce, handle };
}

describe('installShutdown', () => {
  it('runs the steps in order on SIGTERM, logs each, and exits 0', async () => {
    const order: string[] = [];
    const step = (name: string): ShutdownStep => ({
      name,
      run: async (deadline) => {
        expect(deadline.remainingMs()).toBeGreaterThan(0);
        await sleep(5);
        order.push(name);
      },
    });
    const { events, log, exitedOnce, exits } = setup([step('http'), step('replies'), step('stores')]);
    events.emit('SIGTERM');
    expect(await exitedOnce).toBe(0);
    expect(order).toEqual(['http', 'replies', 'stores']);
    expect(exits).toEqual([0]);
    const done = log.lines.filter((l) => l.msg === 'shutdown step done').map((l) => l.step);
    expect(done).toEqual(['http', 'replies', 'stores']);
    expect(log.lines.some((l) => l.msg === 'shutting down' && l.reason === 'SIGTERM')).toBe(true);
  });

  it('handles SIGINT the same way', async () => {
    const { events, exitedOnce } = setup([{ name: 'only', run: async () => {} }]);
    events.emit('SIGINT');
    expect(await exitedOnce).toBe(0);
  });

  it('bounds each step by the time left and exits 1 when the deadline is spent', async () => {
    let lastRan = false;
    let signal: AbortSignal | undefined;
    const { events, exitedOnce, log } = setup(
      [
        {
          name: 'hangs',
          run: (deadline) => {
            signal = deadline.signal;
            return new Promise(() => {});
          },
        },
        {
          name: 'after',
          run: async () => {
            lastRan = true;
          },
        },
      ],
      100,
    );
    const t0 = Date.now();
    events.emit('SIGTERM');
    expect(await exitedOnce).toBe(1);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(lastRan).toBe(false);
    expect(signal?.aborted).toBe(true);
    expect(log.at('error').map((l) => [l.step, l.msg])).toEqual([
      ['hangs', 'shutdown step timed out'],
      ['after', 'shutdown step skipped: no time left'],
    ]);
  });

  it('keeps going after a failing step, logs the error and exits 1', async () => {
    const order: string[] = [];
    const { events, exitedOnce, log } = setup([
      {
        name: 'broken',
        run: async () => {
          throw new Error('redis quit failed');
        },
      },
      { name: 'next', run: async () => void order.push('next') },
    ]);
    events.emit('SIGTERM');
    expect(await exitedOnce).toBe(1);
    expect(order).toEqual(['next']);
    expect(log.at('error')[0]).toMatchObject({ step: 'broken', err: { message: 'redis quit failed' } });
  });

  it('exits at once on a second signal', async () => {
    let release: () => void = () => {};
    const { events, exits, handle } = setup([
      { name: 'slow', run: () => new Promise<void>((resolve) => (release = resolve)) },
    ]);
    events.emit('SIGTERM');
    await sleep(5);
    expect(exits).toEqual([]);
    events.emit('SIGINT');
    expect(exits).toEqual([1]);
    release();
    await handle.shutdown('again');
  });

  it('can be started programmatically, once', async () => {
    let runs = 0;
    const { handle, exitedOnce } = setup([{ name: 'count', run: async () => void runs++ }]);
    const [a, b] = await Promise.all([handle.shutdown('fatal error'), handle.shutdown('again')]);
    expect([a, b]).toEqual([0, 0]);
    expect(await exitedOnce).toBe(0);
    expect(runs).toBe(1);
  });

  it('logs unhandled rejections and exits 1 on an uncaught exception', () => {
    const { events, log, exits } = setup([]);
    events.emit('unhandledRejection', new Error('nobody awaited me'), Promise.resolve());
    expect(exits).toEqual([]);
    expect(log.at('error')[0]).toMatchObject({
      msg: 'unhandled promise rejection',
      err: { message: 'nobody awaited me' },
    });

    events.emit('uncaughtException', new Error('kaboom'));
    expect(exits).toEqual([1]);
    expect(log.lines.at(-1)).toMatchObject({ level: 60, err: { message: 'kaboom' } });
  });

  it('removes its listeners on dispose', () => {
    const { events, handle } = setup([]);
    expect(events.listenerCount('SIGTERM')).toBe(1);
    handle.dispose();
    for (const name of ['SIGTERM', 'SIGINT', 'unhandledRejection', 'uncaughtException']) {
      expect(events.listenerCount(name)).toBe(0);
    }
  });
});
