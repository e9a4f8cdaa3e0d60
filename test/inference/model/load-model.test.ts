import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/inference/model/errors.js';
import { type LoadedModel, loadModel } from '../../../src/inference/onnx/load-model.js';
import {
  copyModel,
  demoModelDir,
  GPT2_DIR,
  QWEN_DIR,
  readJson,
  rejection,
  useScratchDirs,
  writeJson,
} from './support.js';

async function withModel<T>(dir: string, use: (model: LoadedModel) => T | Promise<T>): Promise<T> {
  const model = await loadModel(dir, { device: 'cpu', dtype: 'auto' });
  try {
    return await use(model);
  } finally {
    await model.opened.session.release();
  }
}

let demoDir: string;
beforeAll(async () => {
  demoDir = await demoModelDir();
});

const scratch = useScratchDirs();

describe('loadModel', () => {
  it('GPT-2 fixture: vocabulary 1000 (not the tokenizer size), eos 98, position_ids in the spec', async () => {
    await withModel(GPT2_DIR, (model) => {
      expect(model.vocabSize).toBe(1000);
      expect(model.tokenizer.tokenizer.size).toBeGreaterThan(50_000);
      expect([...model.eosIds]).toEqual([98]);
      expect(model.contextLength).toBe(512);
      expect(model.layout.kind).toBe('genai');
      expect(model.opened.device).toBe('cpu');
      expect(model.opened.graph).toEqual({ path: join(GPT2_DIR, 'past.onnx') });
      expect(model.spec.positionIds).toEqual({ name: 'position_ids', type: 'int32' });
      expect(model.spec.kv.kind).toBe('stacked');
    });
  });

  it('Qwen fixture: vocabulary 1000, eos 2, and no positionIds in the spec', async () => {
    await withModel(QWEN_DIR, (model) => {
      expect(model.vocabSize).toBe(1000);
      expect([...model.eosIds]).toEqual([2]);
      expect(model.contextLength).toBe(128);
      expect(model.layout.names.positionIds).toBe('position_ids');
      expect(model.spec.positionIds).toBeUndefined();
      expect(model.spec.kv).toMatchObject({ kind: 'separate', type: 'float16', numKvHeads: 2, headDim: 16 });
      expect(model.tokenizer.chatTemplate).toBeDefined();
    });
  });

  it('demo model: vocabulary 512, both eos ids of generation_config.json, the q4 graph on CPU', async () => {
    await withModel(demoDir, (model) => {
      expect(model.vocabSize).toBe(512);
      expect(model.tokenizer.tokenizer.size).toBe(512);
      expect([...model.eosIds].sort()).toEqual([441, 443]);
      expect(model.contextLength).toBe(512);
      expect(model.opened.graph).toEqual({ dtype: 'q4', path: join(demoDir, 'onnx', 'model_q4.onnx') });
      expect(model.spec.positionIds).toEqual({ name: 'position_ids', type: 'int64' });
    });
  });

  it('opens the asked variant', async () => {
    const model = await loadModel(demoDir, { device: 'cpu', dtype: 'fp32' });
    try {
      expect(model.opened.graph).toEqual({ dtype: 'fp32', path: join(demoDir, 'onnx', 'model.onnx') });
      expect(model.vocabSize).toBe(512);
    } finally {
      await model.opened.session.release();
    }
  });

  it("uses the tokenizer's EOS when the config names none", async () => {
    const dir = await copyModel(GPT2_DIR, join(await scratch(), 'model'));
    const genai = await readJson(join(dir, 'genai_config.json'));
    delete (genai.model as Record<string, unknown>).eos_token_id;
    await writeJson(join(dir, 'genai_config.json'), genai);
    await withModel(dir, (model) => {
      expect(model.layout.eosTokenIds).toEqual([]);
      expect([...model.eosIds]).toEqual([50256]);
      expect([...model.eosIds]).toEqual(model.tokenizer.eosTokenIds);
    });
  });

  it('a model without tokenizer.json is missing_file naming it', async () => {
    const dir = await copyModel(QWEN_DIR, join(await scratch(), 'model'));
    await rm(join(dir, 'tokenizer.json'));
    const error = await rejection(() => loadModel(dir, { device: 'cpu', dtype: 'auto' }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'missing_file' });
    expect((error as Error).message).toContain('tokenizer.json');
  });

  it('asking a missing variant is variant_missing before any session opens', async () => {
    const error = await rejection(() => loadModel(demoDir, { device: 'cpu', dtype: 'q4f16' }));
    expect(error).toMatchObject({ code: 'variant_missing' });
    expect((error as Error).message).toContain('it has: fp32, q4');
  });
});
