import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSpec, writeDemoModel } from '../../../src/inference/demo/index.js';
import { generateDemoWeights } from '../../../src/inference/demo/weights.js';
import { tinyModelDir } from './support.js';

async function hashFiles(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    hashes[path.slice(dir.length + 1)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return hashes;
}

describe('demo model determinism', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'teambot-demo-determinism-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same seed and different weights for another', async () => {
    const spec = demoSpec('tiny');
    const first = await writeDemoModel(join(root, 'a'), spec, 0);
    await writeDemoModel(join(root, 'b'), spec, 0);
    await writeDemoModel(join(root, 'c'), spec, 1);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => hashFiles(join(root, d))));
    expect(Object.keys(a ?? {}).sort()).toEqual(Object.keys(first.files).sort());
    expect(Object.keys(a ?? {}).sort()).toEqual([
      'config.json',
      'generation_config.json',
      'onnx/model.onnx',
      'onnx/model.onnx_data',
      'onnx/model_q4.onnx',
      'onnx/model_q4.onnx_data',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(b).toEqual(a);
    // Another seed: same tokenizer, config and graph structure; other weights.
    expect(c?.['tokenizer.json']).toBe(a?.['tokenizer.json']);
    expect(c?.['config.json']).toBe(a?.['config.json']);
    expect(c?.['onnx/model.onnx_data']).not.toBe(a?.['onnx/model.onnx_data']);
    expect(c?.['onnx/model_q4.onnx_data']).not.toBe(a?.['onnx/model_q4.onnx_data']);
  });

  it('matches the cached tiny model (bump GENERATOR_VERSION whenever the output changes)', async () => {
    const cached = await hashFiles(await tinyModelDir());
    await writeDemoModel(join(root, 'fresh'), demoSpec('tiny'), 0);
    expect(await hashFiles(join(root, 'fresh'))).toEqual(cached);
  });

  it('draws roughly normal weights at the intended scale', () => {
    const spec = demoSpec('tiny');
    const weights = generateDemoWeights(spec, 0);
    const q = weights.layers[0]?.qProj.data ?? new Float32Array();
    const mean = q.reduce((s, v) => s + v, 0) / q.length;
    const std = Math.sqrt(q.reduce((s, v) => s + (v - mean) ** 2, 0) / q.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.9 / Math.sqrt(spec.hiddenSize));
    expect(std).toBeLessThan(1.1 / Math.sqrt(spec.hiddenSize));
    expect(Array.from(weights.finalNorm).every((v) => v === 1)).toBe(true);
  });
});
