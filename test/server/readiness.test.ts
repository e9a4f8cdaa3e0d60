import { describe, expect, it } from 'vitest';
import { type ReadinessCheck, runReadiness } from '../../src/server/readiness.js';
import { serve } from './fixture.js';

const ok: ReadinessCheck = async () => ({ ok: true, detail: 'ok' });
const never: ReadinessCheck = () => new Promise(() => {});

describe('runReadiness', () => {
  it('is ready when every check is ok', async () => {
    expect(await runReadiness({ kv: ok, objects: ok, engine: ok })).toEqual({
      ready: true,
      checks: {
        kv: { ok: true, detail: 'ok' },
        objects: { ok: true, detail: 'ok' },
        engine: { ok: true, detail: 'ok' },
      },
    });
  });

  it('counts a failing, throwing or slow check as not ok, and runs them at once', async () => {
    const started = Date.now();
    const report = await runReadiness(
      {
        kv: async () => ({ ok: false, detail: 'redis: connection refused' }),
        objects: async () => {
          throw new Error('bucket missing');
        },
        engine: never,
        other: never,
      },
      100,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({
      kv: { ok: false, detail: 'redis: connection refused' },
      objects: { ok: false, detail: 'bucket missing' },
      engine: { ok: false, detail: 'timed out after 100 ms' },
      other: { ok: false, detail: 'timed out after 100 ms' },
    });
  });

  it('counts a check that throws synchronously as not ok', async () => {
    const report = await runReadiness({
      kv: () => {
        throw new Error('sync throw');
      },
    });
    expect(report).toEqual({ ready: false, checks: { kv: { ok: false, detail: 'sync throw' } } });
  });
});

describe('GET /ready', () => {
  it('answers 200 with the report when every check passes', async () => {
    const { url } = await serve({ readiness: () => runReadiness({ kv: ok, objects: ok, engine: ok }) });
    const res = await fetch(`${url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ready: true,
      checks: { kv: { ok: true }, objects: { ok: true }, engine: { ok: true } },
    });
  });

  it.each([
    ['fails', async () => ({ ok: false, detail: 'model not loaded' }), 'model not loaded'],
    [
      'throws',
      async () => {
        throw new Error('engine crashed');
      },
      'engine crashed',
    ],
    ['times out', never, 'timed out after 50 ms'],
  ] as Array<[string, ReadinessCheck, string]>)(
    'answers 503 when a check %s',
    async (_what, engine, detail) => {
      const { url } = await serve({ readiness: () => runReadiness({ kv: ok, objects: ok, engine }, 50) });
      const res = await fetch(`${url}/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        ready: false,
        checks: {
          kv: { ok: true, detail: 'ok' },
          objects: { ok: true, detail: 'ok' },
          engine: { ok: false, detail },
        },
      });
    },
  );

  it('answers 503 when the readiness callback itself throws or hangs', async () => {
    const throwing = await serve({
      readiness: async () => {
        throw new Error('no report');
      },
    });
    const res = await fetch(`${throwing.url}/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      ready: false,
      checks: { readiness: { ok: false, detail: 'no report' } },
    });

    const hanging = await serve({ readiness: () => new Promise(() => {}), readinessTimeoutMs: 50 });
    const slow = await fetch(`${hanging.url}/ready`);
    expect(slow.status).toBe(503);
    expect(await slow.json()).toMatchObject({ ready: false, checks: { readiness: { ok: false } } });
  });
});
