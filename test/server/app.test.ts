import { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { rawBodyOf } from '../../src/util/raw-body.js';
import { serve } from './fixture.js';

describe('createHttpApp', () => {
  it('answers /health with 200 JSON, a request id and no x-powered-by', async () => {
    const { url } = await serve();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('keeps a sane incoming x-request-id and replaces a bad one', async () => {
    const { url } = await serve();
    const kept = await fetch(`${url}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${url}/health`, { headers: { 'x-request-id': 'a b <script>' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('a b <script>');
  });

  it('serves Prometheus text with process, http, pipeline and info metrics', async () => {
    const { url, metrics } = await serve();
    await fetch(`${url}/health`);
    metrics.pipeline.stage('dedup', 'passed');
    metrics.pipeline.stage('dedup', 'passed');
    metrics.pipeline.stage('route', 'command');
    metrics.pipeline.inFlight(3);

    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toMatch(/teambot_http_request_duration_seconds_bucket\{[^}]*route="\/health"[^}]*\}/);
    expect(text).toMatch(
      /teambot_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} 1/,
    );
    expect(text).toContain('teambot_pipeline_messages_total{stage="dedup",outcome="passed"} 2');
    expect(text).toContain('teambot_pipeline_messages_total{stage="route",outcome="command"} 1');
    expect(text).toContain('teambot_inflight_replies 3');
    expect(text).toContain('teambot_info{version="1.2.3"} 1');
  });

  it('labels routes by pattern, mounted routers included, and unknown paths as unmatched', async () => {
    const v1 = Router();
    v1.get('/tasks/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    const { url, metrics } = await serve({ routers: [{ path: '/v1', router: v1 }] });
    expect(await (await fetch(`${url}/v1/tasks/abc`)).json()).toEqual({ id: 'abc' });
    await fetch(`${url}/v1/tasks/def`);
    await fetch(`${url}/v1/nothing-here`);
    await fetch(`${url}/random/${Date.now()}`);

    const text = (await metrics.render()).body;
    expect(text).toContain(
      'teambot_http_request_duration_seconds_count{method="GET",route="/v1/tasks/:id",status="200"} 2',
    );
    expect(text).toContain(
      'teambot_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 2',
    );
    expect(text).not.toContain('abc');
    expect(text).not.toContain('random');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { url } = await serve();
    const res = await fetch(`${url}/no/such/route`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { message: string; id: string } };
    expect(body.error.message).toBe('Not found');
    expect(body.error.id).toBe(res.headers.get('x-request-id'));
  });

  it('turns a throwing route into a logged 500 with an id and no stack', async () => {
    const boom = Router();
    boom.get('/sync', () => {
      throw new Error('database exploded at /srv/secret/path');
    });
    boom.get('/async', async () => {
      await Promise.resolve();
      throw new Error('async failure');
    });
    const { url, log } = await serve({ routers: [{ path: '/boom', router: boom }] });

    for (const path of ['/boom/sync', '/boom/async']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(500);
      const text = await res.text();
      const body = JSON.parse(text) as { error: { message: string; id: string } };
      expect(body).toEqual({
        error: { message: 'Internal server error', id: res.headers.get('x-request-id') },
      });
      expect(text).not.toMatch(/exploded|failure|at |stack/);
    }
    const errors = log.at('error');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({
      msg: 'request failed',
      route: '/boom/sync',
      err: { message: 'database exploded at /srv/secret/path' },
    });
    expect(typeof errors[0]?.reqId).toBe('string');
  });

  it('parses JSON bodies, keeps the raw bytes and rejects bad or oversized ones as JSON', async () => {
    const echo = Router();
    echo.post('/', (req, res) => {
      res.json({ body: req.body as unknown, raw: rawBodyOf(req)?.toString('utf8') });
    });
    const { url } = await serve({ routers: [{ path: '/echo', router: echo }], bodyLimit: '1kb' });
    const post = (body: string) =>
      fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const sent = '{ "a" : 1 }';
    expect(await (await post(sent)).json()).toEqual({ body: { a: 1 }, raw: sent });

    const bad = await post('{nope');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { id: string } }).error.id).toBeTruthy();

    const big = await post(JSON.stringify({ text: 'x'.repeat(4096) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { message: expect.stringMatching(/too large/i) } });
  });
});
