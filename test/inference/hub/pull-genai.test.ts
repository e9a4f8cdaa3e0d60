import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullModel } from '../../../src/inference/hub/pull.js';
import { type FakeHub, startFakeHub } from '../../helpers/fake-hub.js';
import { GENAI_REPO, genaiRepo, tempModelsDir } from './repos.js';
import { filesUnder } from './walk.js';

describe('pullModel with an onnxruntime-genai repo', () => {
  let hub: FakeHub;
  let modelsDir: string;
  const repo = genaiRepo();

  beforeEach(async () => {
    modelsDir = await tempModelsDir();
    hub = await startFakeHub({ repos: { [GENAI_REPO]: repo }, redirectLfs: true });
  });

  afterEach(async () => {
    await hub.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('downloads genai_config.json, the metadata and the graph it names with its data', async () => {
    const result = await pullModel({ repo: GENAI_REPO, modelsDir, endpoint: hub.url });
    expect(result.layout).toBe('genai');
    expect(result.dtype).toBeUndefined();
    expect(result.files.map((f) => [f.path, f.downloaded])).toEqual([
      ['config.json', true],
      ['tokenizer.json', true],
      ['tokenizer_config.json', true],
      ['genai_config.json', true],
      ['model.onnx', true],
      ['model.onnx.data', true],
    ]);
    const dir = join(modelsDir, GENAI_REPO);
    expect(await filesUnder(dir)).toEqual([
      'config.json',
      'genai_config.json',
      'model.onnx',
      'model.onnx.data',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(new Uint8Array(await readFile(join(dir, 'model.onnx.data')))).toEqual(
      repo.files['model.onnx.data'],
    );
  });

  it('ignores the dtype (one graph) and skips everything on a second pull', async () => {
    await pullModel({ repo: GENAI_REPO, modelsDir, endpoint: hub.url });
    const again = await pullModel({ repo: GENAI_REPO, modelsDir, endpoint: hub.url, dtype: 'q4' });
    expect(again.files.every((f) => !f.downloaded)).toBe(true);
  });
});
