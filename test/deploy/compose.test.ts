import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.js';
import { PROMETHEUS_CONFIG } from '../helpers/monitoring-files.js';

/**
 * docker-compose.yml checked as data (no Docker engine runs here): the services the stack promises,
 * the wiring between them, and that every dependency waits on a condition the other side can meet.
 */

const ROOT = new URL('../../', import.meta.url).pathname;

interface Service {
  build?: string | { context: string };
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  restart?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  stop_grace_period?: string;
}
const compose = parse(readFileSync(`${ROOT}docker-compose.yml`, 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const service = (name: string): Service => {
  const s = services[name];
  if (s === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const dependencies = (s: Service): Record<string, { condition: string }> =>
  Array.isArray(s.depends_on)
    ? Object.fromEntries(s.depends_on.map((d) => [d, { condition: 'service_started' }]))
    : (s.depends_on ?? {});
const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1]);

describe('docker-compose.yml', () => {
  it('runs two gateways, one worker, Redis and MinIO with its bucket', () => {
    const gateway = service('teambot');
    expect(gateway.deploy?.replicas).toBe(2);
    expect(gateway.command).toBeUndefined(); // the image's default command: serve
    // a host port for each replica
    const [range] = gateway.ports ?? [];
    const match = /^(\d+)-(\d+):3000$/.exec(range ?? '');
    expect(match).not.toBeNull();
    expect(Number(match?.[2]) - Number(match?.[1]) + 1).toBe(2);

    const worker = service('worker');
    expect(worker.command).toEqual(['worker']);
    expect(worker.deploy?.replicas ?? 1).toBe(1);
    expect(service('redis').image).toMatch(/^redis:/);
    expect(service('minio').image).toMatch(/^minio\/minio/);
    const init = service('minio-init');
    expect(init.restart).toBe('no');
    expect(init.command?.join('\n')).toContain('mc mb --ignore-existing "local/$$S3_BUCKET"');
    expect(init.environment?.S3_BUCKET).toBe(gateway.environment?.S3_BUCKET);
  });

  it('builds teambot and the worker from the repository Dockerfile, as one image', () => {
    expect(existsSync(`${ROOT}Dockerfile`)).toBe(true);
    expect(service('teambot').build).toBe('.');
    expect(service('worker').image).toBe(service('teambot').image);
  });

  it('wires gateways to the worker (ENGINE_URLS, one shared key) and both to Redis', () => {
    const env = service('teambot').environment ?? {};
    expect(env.ENGINE_URLS).toBe('http://worker:3000');
    expect(env.ENGINE_API_KEY).toMatch(/^\$\{ENGINE_API_KEY[:}]/);
    expect(service('worker').environment?.API_KEYS).toBe(env.ENGINE_API_KEY);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(service('worker').environment?.REDIS_URL).toBe(env.REDIS_URL);
    expect(env.S3_ENDPOINT).toBe('http://minio:9000');
    expect(env.URL_SIGNING_SECRET).toBeDefined(); // one secret for both replicas' media links
  });

  it('every setting given to teambot is one it reads (src/config/schema.ts) or the AWS SDK reads', () => {
    const known = new Set([...Object.keys(configSchema.shape), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    for (const name of ['teambot', 'worker']) {
      for (const key of Object.keys(service(name).environment ?? {}))
        expect(known, `${name}: ${key}`).toContain(key);
    }
  });

  it('every depends_on names a service and waits for something it provides, without cycles', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(dependencies(s))) {
        const other = service(target);
        if (condition === 'service_healthy') expect(other.healthcheck, `${name} → ${target}`).toBeDefined();
        if (condition === 'service_completed_successfully')
          expect(other.restart, `${name} → ${target}`).toBe('no');
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
      }
    }
    const visiting = new Set<string>();
    const visit = (name: string, path: string[]) => {
      expect(visiting.has(name), `cycle ${[...path, name].join(' → ')}`).toBe(false);
      visiting.add(name);
      for (const target of Object.keys(dependencies(service(name)))) visit(target, [...path, name]);
      visiting.delete(name);
    };
    for (const name of Object.keys(services)) visit(name, []);
    expect(Object.keys(dependencies(service('teambot'))).sort()).toEqual([
      'minio',
      'minio-init',
      'redis',
      'worker',
    ]);
  });

  it('health checks: gateways and the worker on /ready, Redis and MinIO with their own tools', () => {
    for (const name of ['teambot', 'worker']) {
      const test = service(name).healthcheck?.test.join(' ') ?? '';
      expect(test).toContain("fetch('http://127.0.0.1:3000/ready')");
    }
    expect(service('redis').healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(service('minio').healthcheck?.test).toEqual(['CMD', 'mc', 'ready', 'local']);
  });

  it('graceful shutdown: compose waits longer than SHUTDOWN_TIMEOUT_MS', () => {
    for (const name of ['teambot', 'worker']) {
      const s = service(name);
      const timeoutMs = Number(s.environment?.SHUTDOWN_TIMEOUT_MS);
      expect(seconds(s.stop_grace_period ?? '10s') * 1000).toBeGreaterThan(timeoutMs);
    }
  });

  it('named volumes are declared; Prometheus scrapes the compose services by name', () => {
    for (const s of Object.values(services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('.')) expect(existsSync(`${ROOT}${source}`), source).toBe(true);
        else expect(Object.keys(compose.volumes), source).toContain(source);
      }
    }
    const prometheus = parse(readFileSync(PROMETHEUS_CONFIG, 'utf8')) as {
      scrape_configs: Array<{ dns_sd_configs: Array<{ names: string[]; port: number }> }>;
    };
    const names = prometheus.scrape_configs.flatMap((c) => c.dns_sd_configs.flatMap((d) => d.names));
    expect(names.sort()).toEqual(['teambot', 'worker']);
  });
});
