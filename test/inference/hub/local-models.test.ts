import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLocalModels } from '../../../src/inference/hub/local-models.js';
import { tempModelsDir } from './repos.js';

async function put(path: string, bytes: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, Buffer.alloc(bytes));
}

describe('listLocalModels', () => {
  let modelsDir: string;

  beforeEach(async () => {
    modelsDir = await tempModelsDir();
  });

  afterEach(async () => {
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('finds HF and genai models under <owner>/<name>, skipping the rest', async () => {
    await put(join(modelsDir, 'onnx-community/Tiny/config.json'), 100);
    await put(join(modelsDir, 'onnx-community/Tiny/onnx/model_q4.onnx'), 1000);
    await put(join(modelsDir, 'onnx-community/Tiny/onnx/model.onnx'), 2000);
    await put(join(modelsDir, 'onnx-community/Tiny/onnx/model.onnx_data'), 3000);
    await put(join(modelsDir, 'onnx-community/Tiny/onnx/model_fp16.onnx.part'), 10);
    await put(join(modelsDir, 'microsoft/Phi/genai_config.json'), 50);
    await put(join(modelsDir, 'microsoft/Phi/model.onnx'), 500);
    await put(join(modelsDir, 'someone/notes/README.md'), 5);
    await put(join(modelsDir, 'stray-file.txt'), 5);
    await put(join(modelsDir, '.cache/x/onnx/model.onnx'), 5);

    expect(await listLocalModels(modelsDir)).toEqual([
      {
        id: 'microsoft/Phi',
        dir: join(modelsDir, 'microsoft/Phi'),
        layout: 'genai',
        dtypes: [],
        sizeBytes: 550,
      },
      {
        id: 'onnx-community/Tiny',
        dir: join(modelsDir, 'onnx-community/Tiny'),
        layout: 'hf',
        dtypes: ['fp32', 'q4'],
        sizeBytes: 6110,
      },
    ]);
  });

  it('reads the older merged-decoder names', async () => {
    await put(join(modelsDir, 'Xenova/old/onnx/decoder_model_merged_quantized.onnx'), 10);
    expect((await listLocalModels(modelsDir))[0]?.dtypes).toEqual(['quantized']);
  });

  it('is empty for a missing models directory', async () => {
    expect(await listLocalModels(join(modelsDir, 'does-not-exist'))).toEqual([]);
  });
});
