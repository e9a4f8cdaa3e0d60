import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { type PullProgress, pullModel } from '../../../src/inference/hub/pull.js';
import { type FakeHub, type FakeRepo, startFakeHub } from '../../helpers/fake-hub.js';
import { HF_REPO, hfRepo, tempModelsDir } from './repos.js';
import { filesUnder } from './walk.js';

const METADATA = [
  'chat_template.jinja',
  'config.json',
  'generation_config.json',
  'special_tokens_map.json',
  'tokenizer.json',
  'tokenizer_config.json',
];

describe('pullModel', () => {
  let hub: FakeHub;
  let modelsDir: string;
  const repo = hfRepo();

  async function start(
    repos: Record<string, FakeRepo>,
    options: { pageSize?: number; redirectLfs?: boolean } = {},
  ) {
    hub = await startFakeHub({ repos, ...options });
  }

  beforeEach(async () => {
    modelsDir = await tempModelsDir();
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await hub?.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('downloads the metadata and the asked variant only, from HF_ENDPOINT', async () => {
    await start({ [HF_REPO]: repo });
    // HF_ENDPOINT and HF_TOKEN are read by the config, which hands them to the pull.
    const config = loadConfig({ HF_ENDPOINT: `${hub.url}/`, HF_TOKEN: '' });
    const result = await pullModel({
      repo: HF_REPO,
      dtype: 'q4',
      modelsDir,
      endpoint: config.HF_ENDPOINT,
      token: config.HF_TOKEN,
    });

    const dir = join(modelsDir, 'onnx-community', 'Tiny-LM-ONNX');
    expect(result).toMatchObject({ dir, layout: 'hf', dtype: 'q4' });
    expect(await filesUnder(dir)).toEqual([...METADATA, 'onnx/model_q4.onnx'].sort());
    expect(result.files.every((f) => f.downloaded)).toBe(true);
    expect(result.files.find((f) => f.path === 'onnx/model_q4.onnx')?.size).toBe(30_000);
    for (const path of ['onnx/model_q4.onnx', 'config.json']) {
      expect(new Uint8Array(await readFile(join(dir, path)))).toEqual(
        new Uint8Array(Buffer.from(repo.files[path] ?? '')),
      );
    }
    const fetched = hub.requests.filter((r) => r.path.includes('/resolve/')).map((r) => r.path);
    expect(fetched.some((p) => p.includes('model_fp16') || p.includes('README'))).toBe(false);
    expect(hub.requests[0]?.path).toBe(`/api/models/${HF_REPO}/tree/main`);
  });

  it('takes the external data files of the variant', async () => {
    await start({ [HF_REPO]: repo });
    const result = await pullModel({ repo: HF_REPO, dtype: 'fp16', modelsDir, endpoint: hub.url });
    expect(result.files.map((f) => f.path).filter((p) => p.startsWith('onnx/'))).toEqual([
      'onnx/model_fp16.onnx',
      'onnx/model_fp16.onnx_data',
      'onnx/model_fp16.onnx_data_1',
    ]);
  });

  it.each([
    ['cpu', 'q4'],
    ['cuda', 'fp16'],
    ['webgpu', 'q4f16'],
  ] as const)('picks the preferred dtype for %s when none is asked (%s)', async (device, dtype) => {
    await start({ [HF_REPO]: repo });
    const result = await pullModel({ repo: HF_REPO, device, modelsDir, endpoint: hub.url });
    expect(result.dtype).toBe(dtype);
  });

  it('falls back along the preference list to what the repo has', async () => {
    const files = { ...repo.files };
    delete files['onnx/model_q4.onnx'];
    await start({ [HF_REPO]: { files } });
    const result = await pullModel({ repo: HF_REPO, modelsDir, endpoint: hub.url });
    expect(result.dtype).toBe('int8');
  });

  it('refuses a dtype the repo lacks, listing those it has, before downloading anything', async () => {
    await start({ [HF_REPO]: repo });
    const pull = pullModel({ repo: HF_REPO, dtype: 'bnb4', modelsDir, endpoint: hub.url });
    await expect(pull).rejects.toMatchObject({
      code: 'dtype_missing',
      message: expect.stringContaining('has no bnb4 variant; it has: fp32, fp16, q4, q4f16, int8.'),
    });
    expect(await filesUnder(modelsDir)).toEqual([]);
  });

  it('follows the listing pagination and the CDN redirects of LFS files', async () => {
    await start({ [HF_REPO]: repo }, { pageSize: 3, redirectLfs: true });
    const result = await pullModel({ repo: HF_REPO, dtype: 'q4', modelsDir, endpoint: hub.url });
    expect(result.files).toHaveLength(METADATA.length + 1);
    expect(hub.requests.filter((r) => r.path.includes('/tree/')).length).toBeGreaterThan(3);
    expect(hub.requests.some((r) => r.path.startsWith(`/cdn/${HF_REPO}/main/onnx/model_q4.onnx`))).toBe(true);
  });

  it('sends the token (any shape, as mirrors use) and reads another revision', async () => {
    await start({ [HF_REPO]: { ...repo, token: 'mirror-token', revisions: ['main', 'refs/pr/1'] } });
    const result = await pullModel({
      repo: HF_REPO,
      dtype: 'q4',
      revision: 'refs/pr/1',
      modelsDir,
      endpoint: hub.url,
      token: 'mirror-token',
    });
    expect(result.files).toHaveLength(METADATA.length + 1);
    expect(hub.requests.every((r) => r.authorization === 'Bearer mirror-token')).toBe(true);
    expect(hub.requests[0]?.path).toBe(`/api/models/${HF_REPO}/tree/refs/pr/1`);
    expect(hub.requests.some((r) => r.path.startsWith(`/${HF_REPO}/resolve/refs/pr/1/`))).toBe(true);
  });

  it('reports progress at a bounded rate, ending at the overall total', async () => {
    await start({ [HF_REPO]: repo });
    const events: PullProgress[] = [];
    await pullModel({
      repo: HF_REPO,
      dtype: 'q4',
      modelsDir,
      endpoint: hub.url,
      onProgress: (e) => events.push(e),
    });
    const total = METADATA.reduce((sum, p) => sum + Buffer.from(repo.files[p] ?? '').length, 30_000);
    expect(events.at(-1)).toMatchObject({
      file: 'onnx/model_q4.onnx',
      state: 'done',
      overallReceived: total,
    });
    expect(events.every((e) => e.overallTotal === total && e.receivedBytes <= e.totalBytes)).toBe(true);
    expect(events.filter((e) => e.state === 'done')).toHaveLength(METADATA.length + 1);
  });
});
