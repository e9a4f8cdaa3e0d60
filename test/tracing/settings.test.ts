import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { parseHeaders, tracingSettings } from '../../src/tracing/settings.js';
import { startTracing } from '../../src/tracing/start.js';
import { tracingOn } from '../../src/tracing/state.js';
import { captureLogger } from '../helpers/capture-logger.js';

const config = (env: Record<string, string>) => configSchema.parse(env);

describe('tracing settings from the standard OTEL_* variables', () => {
  it('is off without an OTLP endpoint, and off when disabled even with one', async () => {
    expect(tracingSettings(config({}), 'teambot')).toBeUndefined();
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(tracingSettings(config({ ...endpoint, OTEL_SDK_DISABLED: 'true' }), 'teambot')).toBeUndefined();
    expect(tracingSettings(config({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }), 'teambot')).toBeUndefined();

    const off = await startTracing(undefined, { version: 'test', role: 'gateway' }, captureLogger().logger);
    expect(off.enabled).toBe(false);
    expect(tracingOn()).toBe(false);
  });

  it('derives the traces URL, the headers, the service name and the ratio', () => {
    expect(
      tracingSettings(
        config({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
          OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-team = ops',
          OTEL_TRACES_SAMPLER_ARG: '0.25',
        }),
        'teambot-worker',
      ),
    ).toEqual({
      url: 'http://collector:4318/v1/traces',
      headers: { authorization: 'Bearer abc', 'x-team': 'ops' },
      serviceName: 'teambot-worker',
      ratio: 0.25,
    });
    const traces = config({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp',
      OTEL_SERVICE_NAME: 'bot-eu',
    });
    expect(tracingSettings(traces, 'teambot')).toMatchObject({
      url: 'https://traces.example.com/otlp',
      serviceName: 'bot-eu',
      ratio: 1,
    });
    expect(parseHeaders('broken,=x,a=1')).toEqual({ a: '1' });
  });

  it('refuses a bad value with the variable named', () => {
    const bad = configSchema.safeParse({ OTEL_TRACES_SAMPLER_ARG: '2' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['OTEL_TRACES_SAMPLER_ARG']);
  });
});
