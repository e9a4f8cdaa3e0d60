import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubError } from '../../src/inference/hub/errors.js';
import { ModelError } from '../../src/inference/model/errors.js';
import { openOnnxEngine } from '../../src/inference/onnx/open-engine.js';
import { DEFAULT_MODEL, type ResolveOptions, resolveModel } from '../../src/inference/resolve-model.js';
import { type FakeHub, startFakeHub } from '../helpers/fake-hub.js';
import { demoModelDir } from './onnx/models.js';

const REPO = 'teambot-test/tiny-llama';
let hub: FakeHub;
let modelsDir: string;
let demoDir: string;

async function filesOf(dir: string): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await readFile(path);
  }
  return files;
}

beforeAll(async () => {
  demoDir = await demoModelDir();
  hub = await startFakeHub({ repos: { [REPO]: { files: await filesOf(demoDir) } } });
  modelsDir = await mkdtemp(join(tmpdir(), 'teambot-resolve-'));
});
afterAll(async () => {
  await hub.close();
  await rm(modelsDir, { recursive: true, force: true });
});

const options = (extra: Partial<ResolveOptions> = {}): ResolveOptions => ({
  modelsDir,
  dtype: 'auto',
  device: 'cpu',
  fallbackToDemo: false,
  endpoint: hub.url,
  ...extra,
});

describe('resolveModel', () => {
  it('pulls a hub model that is not in MODELS_DIR, then uses the local copy without the network', async () => {
    const first = await resolveModel(REPO, options());
    expect(first).toEqual({ dir: join(modelsDir, REPO), name: REPO, demo: false });
    // CPU's preferred variant only, with its external data; not the fp32 graph.
    const pulled = await readdir(join(first.dir, 'onnx'));
    expect(pulled.sort()).toEqual(['model_q4.onnx', 'model_q4.onnx_data']);
    const requests = hub.requests.length;
    expect(await resolveModel(REPO, options())).toEqual(first);
    expect(hub.requests.length).toBe(requests);

    const engine = await openOnnxEngine(first.dir, {
      name: first.name,
      device: 'cpu',
      dtype: 'auto',
      contextLength: 512,
      defaults: { maxNewTokens: 4, temperature: 0, prefillChunk: 64 },
    });
    try {
      expect(engine.device()).toMatchObject({ device: 'cpu', dtype: 'q4' });
      const result = await engine.generate({ messages: [{ role: 'user', content: 'hello' }] }).result;
      expect(result.usage.completionTokens).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('pulls again when the asked variant is missing locally, or a download was left half done', async () => {
    const fp32 = await resolveModel(REPO, options({ dtype: 'fp32' }));
    expect((await readdir(join(fp32.dir, 'onnx'))).sort()).toContain('model.onnx_data');
    const data = join(fp32.dir, 'onnx', 'model.onnx_data');
    await writeFile(`${data}.part`, (await readFile(data)).subarray(0, 1000));
    await rm(data);
    await resolveModel(REPO, options({ dtype: 'fp32' }));
    expect(await readFile(data)).toEqual((await filesOf(demoDir))['onnx/model.onnx_data']);
    expect(hub.downloadsOf(REPO, 'onnx/model.onnx_data').at(-1)?.range).toBe('bytes=1000-');
  });

  it('takes a directory as is, and "demo" as the generated model', async () => {
    expect(await resolveModel(demoDir, options())).toMatchObject({ dir: demoDir, demo: false });
    const demo = await resolveModel('demo', options());
    expect(demo).toMatchObject({ name: 'teambot-demo', demo: true, problem: 'MODEL=demo' });
    expect(demo.dir.startsWith(join(modelsDir, '.demo'))).toBe(true);
  });

  it('refuses what is neither a directory nor a hub id', async () => {
    await expect(resolveModel('./no/such/model/dir', options())).rejects.toBeInstanceOf(ModelError);
    await expect(resolveModel('not a model', options())).rejects.toThrow(
      'MODEL "not a model" is neither an existing directory nor a Hugging Face id (owner/name), nor "demo".',
    );
  });

  it('offline: the server falls back to the demo model and says why; the CLI fails clearly', async () => {
    const offline = { endpoint: 'http://127.0.0.1:9' };
    const fallback = await resolveModel(undefined, options({ ...offline, fallbackToDemo: true }));
    expect(fallback.demo).toBe(true);
    expect(fallback.problem).toMatch(
      new RegExp(`^${DEFAULT_MODEL} could not be pulled: .*127\\.0\\.0\\.1:9`),
    );
    await expect(resolveModel(undefined, options(offline))).rejects.toBeInstanceOf(HubError);
  });
});
