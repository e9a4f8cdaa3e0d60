import express from 'express';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/server/lifecycle.js';
import { captureLogger } from '../helpers/capture-logger.js';

/** An app whose /slow answers only when the test says so. */
function slowApp() {
  let release: () => void = () => {};
  let entered: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const app = express();
  app.get('/slow', async (_req, res) => {
    entered();
    await gate;
    res.json({ done: true });
  });
  app.get('/fast', (_req, res) => {
    res.json({ fast: true });
  });
  return { app, started, release };
}

describe('startHttpServer', () => {
  it('listens on an ephemeral port and reports its URL', async () => {
    const { logger } = captureLogger();
    const running = await startHttpServer(express(), { host: '127.0.0.1', port: 0, logger });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.url).not.toMatch(/:0$/);
    expect(await running.close(100)).toBe(true);
  });

  it('rejects when the port is taken', async () => {
    const { logger } = captureLogger();
    const first = await startHttpServer(express(), { host: '127.0.0.1', port: 0, logger });
    const port = Number(new URL(first.url).port);
    await expect(startHttpServer(express(), { host: '127.0.0.1', port, logger })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    await first.close(100);
  });

  it('lets an in-flight request finish while refusing new connections', async () => {
    const { logger } = captureLogger();
    const { app, started, release } = slowApp();
    const running = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger });
    // An idle keep-alive connection from an earlier request must not hold the close up.
    expect((await fetch(`${running.url}/fast`)).status).toBe(200);

    const inFlight = fetch(`${running.url}/slow`);
    await started;
    const closed = running.close(5_000);

    await expect(fetch(`${running.url}/fast`)).rejects.toThrow();
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    const t0 = Date.now();
    expect(await closed).toBe(true);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('destroys requests still running at the deadline', async () => {
    const log = captureLogger();
    const { app, started, release } = slowApp();
    const running = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger: log.logger });
    const inFlight = fetch(`${running.url}/slow`).then(
      () => 'answered',
      () => 'cut off',
    );
    await started;
    const t0 = Date.now();
    expect(await running.close(100)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(await inFlight).toBe('cut off');
    expect(log.at('warn')[0]).toMatchObject({ timeoutMs: 100 });
    expect(await running.close(100)).toBe(false);
    release();
  });
});
