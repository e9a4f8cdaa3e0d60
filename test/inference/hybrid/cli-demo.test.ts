import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelInspection } from '../../../src/inference/model/inspect.js';
import { readJson } from '../demo/support.js';
import { runModelCommand } from '../hub/model-cli.js';

const run = (args: string[]) => runModelCommand(args);

describe('teambot model demo --arch and model inspect on hybrids', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'teambot-demo-cli-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes a Qwen3.5 in the onnx-community layout, with a vision encoder and a preprocessor config', async () => {
    const out = join(root, 'qwen3_5');
    const written = await run(['demo', '--arch', 'qwen3_5', '--out', out, '--seed', '3']);
    expect(written.exitCode).toBe(0);
    expect(written.stdout).toContain('qwen3_5 (tiny, seed 3');
    const files = await readdir(join(out, 'onnx'));
    for (const base of ['embed_tokens', 'decoder_model_merged', 'vision_encoder']) {
      for (const file of [`${base}.onnx`, `${base}_q4.onnx`])
        expect(files).toEqual(expect.arrayContaining([file, `${file}_data`]));
    }
    const pre = await readJson(join(out, 'preprocessor_config.json'));
    expect(pre).toMatchObject({ patch_size: 16, temporal_patch_size: 2, merge_size: 2 });
    const config = await readJson<{ text_config: { layer_types: string[] } }>(join(out, 'config.json'));
    expect(config.text_config.layer_types).toEqual(['linear_attention', 'full_attention']);
    // One 32x32 image: a 2x2 grid of patches, merged into one feature of the text model's width.
    const vision = await ort.InferenceSession.create(join(out, 'onnx', 'vision_encoder.onnx'));
    const features = await vision.run({
      pixel_values: new ort.Tensor('float32', new Float32Array(4 * 1536).fill(0.5), [4, 1536]),
      image_grid_thw: new ort.Tensor('int64', BigInt64Array.of(1n, 2n, 2n), [1, 3]),
    });
    expect(features.image_features?.dims).toEqual([1, 64]);
    await vision.release();

    const inspected = await run(['inspect', out, '--json']);
    expect(inspected.exitCode).toBe(0);
    const info = JSON.parse(inspected.stdout) as ModelInspection;
    expect(info.layers).toEqual(['conv+recurrent', 'attention']);
    expect(info.layerTypes).toEqual(['linear_attention', 'full_attention']);
    expect(info.embedGraph).toBe('onnx/embed_tokens_q4.onnx');
    expect(info.states).toEqual([
      { name: 'past_conv.0', layer: 0, kind: 'conv', dtype: 'float32', shape: [96, 4] },
      { name: 'past_recurrent.0', layer: 0, kind: 'recurrent', dtype: 'float32', shape: [2, 16, 16] },
    ]);
    const text = await run(['inspect', out]);
    expect(text.stdout).toContain('layers          0:conv+recurrent 1:attention');
    expect(text.stdout).toContain('past_recurrent.0');
  });

  it('writes an LFM2 whose inspection shows conv and attention layers', async () => {
    const out = join(root, 'lfm2');
    expect((await run(['demo', '--arch', 'lfm2', '--out', out])).exitCode).toBe(0);
    const info = JSON.parse((await run(['inspect', out, '--json'])).stdout) as ModelInspection;
    expect(info.modelType).toBe('lfm2');
    expect(info.layers).toEqual(['conv', 'attention']);
    expect(info.states.map((s) => [s.name, s.shape])).toEqual([['past_conv.0', [64, 3]]]);
  });

  it('refuses an unknown architecture', async () => {
    const out = join(root, 'nope');
    const result = await run(['demo', '--arch', 'mamba', '--out', out]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("'mamba'");
  });
});
