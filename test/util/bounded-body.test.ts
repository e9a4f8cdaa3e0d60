import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { createHttpApp } from '../../src/server/app.js';
import { HUGE_BODY_BYTES, readBoundedBody, tooLarge } from '../../src/util/bounded-body.js';

const LIMIT = 1_000;
const DISCARD = 100_000;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const read = await readBoundedBody(req, LIMIT, DISCARD);
    if (read.kind === 'too_large') return tooLarge(res, read.drained);
    res.end(`read ${read.raw.length}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = (bytes: number) => fetch(url, { method: 'POST', body: Buffer.alloc(bytes, 97) });

describe('reading a body with a bound', () => {
  it('reads a body up to the limit', async () => {
    const res = await post(LIMIT);
    expect(await res.text()).toBe(`read ${LIMIT}`);
  });

  it('answers a longer one 413 after reading it to the end, keeping the connection usable', async () => {
    const res = await post(LIMIT + 50_000);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).not.toBe('close');
    expect(await res.json()).toEqual({ error: 'request body too large' });
    expect(await (await post(10)).text()).toBe('read 10');
  });

  it('stops reading past the discard bound and closes the connection after a readable 413', async () => {
    const res = await post(LIMIT + DISCARD + 500_000);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await (await post(10)).text()).toBe('read 10');
  });
});

describe('the app-wide cap on declared bodies', () => {
  it('refuses a Content-Length past it before reading, with a readable 413', async () => {
    const app = createHttpApp({
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics({ version: 'test' }),
      readiness: async () => ({ ready: true, checks: {} }),
    });
    const big = createServer(app);
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(big.address() as AddressInfo).port}/v1/x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.alloc(HUGE_BODY_BYTES + 1, 32),
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('connection')).toBe('close');
    } finally {
      await new Promise((resolve) => big.close(resolve));
    }
  });
});
