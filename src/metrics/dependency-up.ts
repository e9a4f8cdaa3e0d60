import { Gauge, type Registry } from 'prom-client';

/** Each dependency's state now (as GET /ready checks it): true when it answered. */
export type DependencyProbe = () => Promise<Record<string, { ok: boolean }>>;

/**
 * `teambot_dependency_up{dependency}`: 1 when the dependency (kv: Redis or the in-memory store,
 * objects: S3 or the filesystem, engine: the model or the inference workers) answered its readiness
 * check at scrape time, 0 when not. The alert rules watch it for Redis and the object store.
 */
export function reportDependencies(registry: Registry, probe: DependencyProbe): void {
  new Gauge({
    name: 'teambot_dependency_up',
    help: 'Whether each dependency (kv, objects, engine) answered its readiness check at scrape time: 1 up, 0 down.',
    labelNames: ['dependency'] as const,
    registers: [registry],
    async collect() {
      const checks = await probe();
      for (const [dependency, result] of Object.entries(checks)) {
        this.set({ dependency }, result.ok ? 1 : 0);
      }
    },
  });
}
