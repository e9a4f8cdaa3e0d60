import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelInspection } from '../../../src/inference/model/inspect.js';
import { readJson } from '../demo/support.js';
import { runModelCommand } from '../hub/model-cli.js';

describe('teambot model demo --arch qwen2_5_vl, and inspect on the vision-language models', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'teambot-vision-demo-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes Qwen2.5-VL in the onnx-community layout with its own image processing', async () => {
    const out = join(root, 'qwen2_5_vl');
    const written = await runModelCommand(['demo', '--arch', 'qwen2_5_vl', '--out', out]);
    expect(written.exitCode).toBe(0);
    const files = await readdir(join(out, 'onnx'));
    for (const base of ['embed_tokens', 'decoder_model_merged', 'vision_encoder']) {
      expect(files).toEqual(expect.arrayContaining([`${base}.onnx`, `${base}_q4.onnx`]));
    }
    const pre = await readJson(join(out, 'preprocessor_config.json'));
    expect(pre).toMatchObject({ patch_size: 14, resample: 3, processor_class: 'Qwen2_5_VLProcessor' });
    const config = await readJson<Record<string, unknown>>(join(out, 'config.json'));
    expect(config).toMatchObject({ model_type: 'qwen2_5_vl', vision_config: { patch_size: 14 } });
    const info = JSON.parse((await runModelCommand(['inspect', out, '--json'])).stdout) as ModelInspection;
    expect(info.layers).toEqual(['attention', 'attention']);
    expect(info.vision).toEqual({
      encoder: 'onnx/vision_encoder_q4.onnx',
      patchSize: 14,
      mergeSize: 2,
      minPixels: 56 * 56,
      maxPixels: 28 * 28 * 64,
    });
    const text = (await runModelCommand(['inspect', out])).stdout;
    expect(text).toContain('vision          onnx/vision_encoder_q4.onnx: 14-pixel patches merged 2x2');
  });

  it('shows no vision for a text-only model', async () => {
    const out = join(root, 'llama');
    expect((await runModelCommand(['demo', '--out', out])).exitCode).toBe(0);
    const info = JSON.parse((await runModelCommand(['inspect', out, '--json'])).stdout) as ModelInspection;
    expect(info.vision).toBeUndefined();
  });
});
